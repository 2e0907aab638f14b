"""整改落实 (step 6): the rectification list in one table, members' commitments, and the publicity."""

from datetime import date

import pandas as pd
import streamlit as st

from models.meeting import RECTIFICATION_LABELS
from pages.shared.copy_text import copy_text
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, public_address, records_writer, show_error
from services.meeting import commitments, problems, publicity, rectification
from services.meeting.rectification import Rectification
from services.platform.errors import ServiceError
from services.staff.access import Actor

_STATE = {label: state.value for state, label in RECTIFICATION_LABELS.items()}


def render(actor: Actor) -> None:
    st.title("整改落实")
    campaign, path = campaign_and_branch(actor, "rectification")
    if path is None:
        return
    try:
        writer = records_writer(actor, campaign.id, path)
        _list(actor, campaign.id, path, writer)
        _commitments(actor, campaign.id, path, writer)
        _publicity(actor, campaign.id, path, writer)
    except ServiceError as exc:
        show_error(exc)


def _list(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("整改清单")
    if notice := st.session_state.pop("rectification_notice", None):
        st.success(notice)
    listed = rectification.list_rectifications(actor=actor, campaign_id=campaign_id, branch_path=path)
    today = rectification.today()
    if late := [plain(r.problem[:20]) for r in listed if r.overdue(today)]:
        st.error(f"{len(late)} 项已超过整改时限、尚未完成：{'；'.join(late)}")
    rest = ["整改措施", "责任人", "整改时限", "状态", "完成情况", "逾期"]
    if not writer:
        frame = pd.DataFrame([[r.problem, *_rest(r, today)] for r in listed], columns=["问题", *rest])
        st.dataframe(frame, hide_index=True, width="stretch")
        return
    known = [p.text for p in problems.list_problems(actor=actor, campaign_id=campaign_id, branch_path=path)]
    st.caption("问题可从问题清单中选，也可在“其他问题”一栏自行填写。")
    frame = pd.DataFrame(
        [[r.problem, None, *_rest(r, today)] if r.problem in known else [None, r.problem, *_rest(r, today)]
         for r in listed],
        columns=["问题清单中的问题", "其他问题", *rest],
    )  # fmt: skip
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", num_rows="dynamic", disabled=["逾期"],
        key=f"rectification:{campaign_id}:{path}",
        column_config={
            "问题清单中的问题": st.column_config.SelectboxColumn(options=known, width="large"),
            "其他问题": st.column_config.TextColumn(max_chars=500, width="large"),
            # Nothing `required`: the browser would hold a half-filled row back and it would vanish on saving
            # (as on 问题清单); every row is sent, and the service names what a row lacks.
            "整改措施": st.column_config.TextColumn(max_chars=500, width="large"),
            "责任人": st.column_config.TextColumn(max_chars=60),
            "整改时限": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "状态": st.column_config.SelectboxColumn(options=list(_STATE), default=next(iter(_STATE))),
            "完成情况": st.column_config.TextColumn(max_chars=500),
        },
    )  # fmt: skip
    if st.button("保存整改清单", type="primary", key="save_rectification"):
        items = [
            Rectification(
                _text(r["问题清单中的问题"]) or _text(r["其他问题"]), _text(r["整改措施"]), _text(r["责任人"]),
                _day(r["整改时限"]), _STATE.get(r["状态"], "not_started"), _text(r["完成情况"]) or None,
            )
            for r in edited.to_dict("records")
            if any(isinstance(v, str) and v.strip() for v in (r["问题清单中的问题"], r["其他问题"], r["整改措施"]))
        ]  # fmt: skip
        saved = rectification.save_rectifications(actor=actor, campaign_id=campaign_id, branch_path=path, items=items)
        st.session_state["rectification_notice"] = f"整改清单已保存，共 {len(saved)} 项。"
        st.rerun()


def _rest(r: Rectification, today: date) -> list:
    overdue = "逾期" if r.overdue(today) else ""
    return [r.measures, r.responsible, r.deadline, RECTIFICATION_LABELS[r.state], r.evidence or "", overdue]


def _text(value) -> str:
    """A cell as text: an empty cell of a new row arrives as None or NaN, not as ""."""
    return value if isinstance(value, str) else ""


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date() if value is not None and not pd.isna(value) else None


def _commitments(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("整改承诺")
    rows = commitments.branch_commitments(actor=actor, campaign_id=campaign_id, branch_path=path)
    missing = [r for r in rows if not r.text]
    st.caption(f"已填写 {len(rows) - len(missing)} / {len(rows)} 人。党员用本人的链接（测评链接或个人链接）填写。")
    for r in rows:
        if r.text:
            st.markdown(f"**{plain(r.name)}**{'（支部代录）' if r.by_secretary else ''}")
            st.text(r.text)
    if missing:
        st.warning("尚未填写：" + "、".join(plain(r.name) for r in missing))
        copy_text(commitments.reminder_text(branch_name=path.rsplit("/", 1)[-1], missing=len(missing)))
        if writer:
            who = {r.member_id: r.name for r in missing}
            member_id = st.selectbox("为不便填写的党员代录", list(who), format_func=who.get, index=None,
                                     placeholder="请选择", key="commitment_member")  # fmt: skip
            text = st.text_area("承诺内容", max_chars=500, key="commitment_text")
            if st.button("保存代录的承诺", key="enter_commitment", disabled=member_id is None):
                commitments.enter_for(actor=actor, campaign_id=campaign_id, branch_path=path, member_id=member_id,
                                      text=text)  # fmt: skip
                st.rerun()


def _publicity(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("公示")
    current = publicity.current_period(actor=actor, campaign_id=campaign_id, branch_path=path)
    if current:
        st.info(f"公示期：{current.starts_on} 至 {current.ends_on}。发布后整改承诺不能再修改。")
    public_address(
        actor, campaign_id, path, "publicity",
        "公示页面：`{url}`\n\n只在公示期内显示整改清单和整改承诺，不显示格次、测评或电话。",
    )  # fmt: skip
    if not writer:
        return
    default = current or publicity.default_period()
    left, right = st.columns(2)
    starts_on = left.date_input("公示开始", value=default.starts_on, key="publicity_from")
    ends_on = right.date_input("公示结束", value=default.ends_on, key="publicity_to")
    if st.button("发布公示" if not current else "修改公示期", type="primary", key="publish"):
        publicity.publish(actor=actor, campaign_id=campaign_id, branch_path=path, starts_on=starts_on, ends_on=ends_on)
        st.rerun()
