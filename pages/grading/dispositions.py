"""组织处置: each member of the branch rated 不合格, their case's steps, period and outcome, one form each;
and the cases of earlier years still open for members of this year's roster."""

from datetime import date

import streamlit as st

from models.grading import CASE_OUTCOMES, DISPOSITION_KINDS, DISPOSITION_TO_REDECIDE, MEETING_RESULTS, REASON_MAX
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, show_error
from services.grading import disposition_cases
from services.grading.disposition_cases import Case
from services.grading.disposition_rules import (
    CORRECTION,
    OUTCOMES_OF,
    PERIOD_DEFAULT,
    PERIOD_MAX,
    PERIOD_MIN,
    CaseRejected,
    CaseSteps,
    Outcome,
)
from services.platform.errors import ServiceError
from services.staff.access import Actor, may_grade

RULES = (
    f"评定为“不合格”的党员，组织处置只有{'、'.join(DISPOSITION_KINDS)}三种（在“评议结果”页评定格次时选择）。"
    "处置须经支委会研究、支部大会讨论表决，报上级党组织审批；"
    f"限期改正一般 {PERIOD_DEFAULT} 个月，最长不超过 {PERIOD_MAX} 个月，自上级党组织审批之日起计算，期满后记录结果。"
)
_EARLIEST = date(2000, 1, 1)


def render(actor: Actor) -> None:
    st.title("组织处置")
    st.caption(RULES)
    campaign, path = campaign_and_branch(actor, "dispositions")
    if path is None:
        return
    if notice := st.session_state.pop("case_notice", None):
        st.success(notice)
    try:
        carried_notice(actor, campaign.id, path)
        cases = disposition_cases.list_cases(actor=actor, campaign_id=campaign.id, branch_path=path)
    except ServiceError as exc:
        show_error(exc)
        return
    if not cases:
        st.info("本支部在该活动中没有评定为“不合格”并选择组织处置的党员。")
        return
    today = disposition_cases.today()
    writer = may_grade(actor, path)
    for case in cases:
        with st.container(border=True):
            _case(actor, campaign.id, path, case, today, writer)


def carried_notice(actor: Actor, campaign_id: int, branch_path: str) -> None:
    """Open cases of earlier years for members of this roster (the same 身份证号/工号), as a warning."""
    carried = disposition_cases.carried_cases(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    if not carried:
        return
    lines = [f"{plain(c.name)}：{plain(c.label)}" for c in carried.values()]
    st.warning("往年组织处置未结案（请在该年度活动的“组织处置”页记录结果）：" + "；".join(lines))


def _case(actor: Actor, campaign_id: int, path: str, case: Case, today: date, writer: bool) -> None:
    st.subheader(f"{plain(case.name)}　{case.kind}")
    st.write(f"进度：{plain(case.stage(today))}")
    if case.note:
        st.caption(f"处置说明：{plain(case.note)}")
    if case.kind == DISPOSITION_TO_REDECIDE:
        st.warning(
            f"原有的组织处置不在{'、'.join(DISPOSITION_KINDS)}之内，已改为“{DISPOSITION_TO_REDECIDE}”（原处置写在处置说明开头）："
            "请在“评议结果”页的评定格次中重新选择，重新选择前不能报上级党组织审批。"
        )
        return
    if not writer:
        st.write(_summary(case))
        return
    _steps_form(actor, campaign_id, path, case, today)
    _outcome_form(actor, campaign_id, path, case, today)


def _summary(case: Case) -> str:
    s = case.steps
    meeting = "未进行"
    if s.meeting_on and s.meeting_result:
        meeting = f"{s.meeting_on}（{MEETING_RESULTS[s.meeting_result]}）"
    parts = [
        f"支委会研究：{s.committee_on or '未进行'}",
        f"支部大会表决：{meeting}",
        f"上级党组织审批：{s.approved_on or '未进行'}",
    ]
    if case.period_months:
        parts.append(f"限期 {case.period_months} 个月" + (f"，{case.ends_on} 期满" if case.ends_on else ""))
    if case.outcome:
        parts.append(f"结果：{CASE_OUTCOMES[case.outcome]}（{case.outcome_on}）")
    return plain("；".join(parts))


def _steps_form(actor: Actor, campaign_id: int, path: str, case: Case, today: date) -> None:
    s, key = case.steps, case.member_id
    with st.form(f"case_steps_{key}"):
        st.markdown("**处置程序**（只填已经进行的程序，未进行的留空）")
        left, middle, right = st.columns(3)
        committee = left.date_input("支委会研究日期", value=s.committee_on, min_value=_EARLIEST, max_value=today,
                                    key=f"case_committee_{key}")  # fmt: skip
        meeting = middle.date_input("支部大会表决日期", value=s.meeting_on, min_value=_EARLIEST, max_value=today,
                                    key=f"case_meeting_{key}")  # fmt: skip
        results = [None, *MEETING_RESULTS]
        result = middle.selectbox("表决结果", results, index=results.index(s.meeting_result), key=f"case_result_{key}",
                                  format_func=lambda r: MEETING_RESULTS.get(r, "（未表决）"))  # fmt: skip
        approved = right.date_input("上级党组织审批日期", value=s.approved_on, min_value=_EARLIEST, max_value=today,
                                    key=f"case_approved_{key}")  # fmt: skip
        months = None
        if case.kind == CORRECTION:
            months = right.number_input(
                f"限期（月，{PERIOD_MIN}–{PERIOD_MAX}）", min_value=PERIOD_MIN, max_value=PERIOD_MAX,
                value=case.period_months or PERIOD_DEFAULT, step=1, key=f"case_months_{key}",
            )  # fmt: skip
            st.caption(f"期满日：{case.ends_on}" if case.ends_on else "期满日在记录上级党组织审批日期后算出。")
        if not st.form_submit_button("保存处置程序"):
            return
    steps = CaseSteps(committee, meeting, result, approved, int(months) if months is not None else None)
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path, "member_id": key}
    _act(lambda: disposition_cases.save_steps(**where, steps=steps), "处置程序已保存")


def _outcome_form(actor: Actor, campaign_id: int, path: str, case: Case, today: date) -> None:
    key, allowed = case.member_id, list(OUTCOMES_OF[case.kind])
    with st.form(f"case_outcome_{key}"):
        when = f"限期改正 {case.ends_on} 期满后记录" if case.ends_on else "上级党组织审批后记录；撤销处置写明原因"
        st.markdown(f"**处置结果**（{plain(when)}）")
        left, middle = st.columns(2)
        index = allowed.index(case.outcome) if case.outcome in allowed else 0
        outcome = left.selectbox("结果", allowed, index=index, format_func=CASE_OUTCOMES.get, key=f"case_outcome_{key}")
        on = middle.date_input("结果日期", value=case.outcome_on, min_value=_EARLIEST, max_value=today,
                               key=f"case_outcome_on_{key}")  # fmt: skip
        note = st.text_input("说明", value=case.outcome_note or "", max_chars=REASON_MAX, key=f"case_note_{key}")
        if not st.form_submit_button("记录处置结果"):
            return
    if on is None:
        st.error("请填写结果日期")
        return
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path, "member_id": key}
    _act(lambda: disposition_cases.record_outcome(**where, outcome=Outcome(outcome, on, note)), "处置结果已记录")


def _act(save, done: str) -> None:
    try:
        case = save()
    except CaseRejected as refused:
        st.error(f"未保存，共 {len(refused.problems)} 处需要修改：")
        for problem in refused.problems:
            st.markdown(f"- {plain(problem)}")
        return
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state["case_notice"] = f"{plain(case.name)}：{done}（{plain(case.stage(disposition_cases.today()))}）"
    st.rerun()
