"""反馈情况记录: after approval, when, how and by whom each graded member was told their result — the table and
the form (one member or several at once), for those who run the branch's vote."""

import pandas as pd
import streamlit as st

from models.grading import FEEDBACK_WAYS, GradingState
from models.voting import GRADE_LABELS
from pages.shared.plain_text import plain
from pages.shared.widgets import records_writer
from services.campaign.campaigns import CampaignSummary
from services.grading import feedback_records
from services.grading.feedback_records import FeedbackEntry, FeedbackRejected
from services.grading.results import BranchResults
from services.platform.clock import local, now
from services.staff.access import Actor


def render(actor: Actor, campaign: CampaignSummary, found: BranchResults) -> None:
    if found.state != GradingState.approved:
        return
    where = {"actor": actor, "campaign_id": campaign.id, "branch_path": found.branch_path}
    kept = feedback_records.branch_feedback(**where)
    st.subheader("反馈情况记录")
    st.caption(
        "每位评定了格次的党员：何时、以何种方式、由谁反馈了评议结果。“基本合格”“不合格”的须个别谈话反馈。"
        "全部记录后，本支部工作进度的“五、民主评议党员”才算完成。"
    )
    if notice := st.session_state.pop("feedback_notice", None):
        st.success(notice)
    frame = pd.DataFrame(
        [
            {
                "姓名": r.name,
                "评定格次": GRADE_LABELS[r.grade],
                "反馈日期": r.given_on.isoformat() if r.given_on else "",
                "方式": r.way_label,
                "反馈人": r.given_by or "",
                "状态": "已记录" if r.recorded else ("须改为个别谈话" if r.given_on else "未记录"),
            }
            for r in kept.rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")  # cells are text, never markdown
    if kept.missing:
        st.info(f"还差：{len(kept.missing)} 名党员的反馈尚未记录")
    elif kept.rows:
        st.success(f"全部 {len(kept.rows)} 名党员的反馈均已记录。")
    if records_writer(actor, campaign.id, found.branch_path):
        _form(actor, campaign.id, found.branch_path, kept)


def _form(actor: Actor, campaign_id: int, path: str, kept: feedback_records.BranchFeedback) -> None:
    rows = {r.member_id: r for r in kept.rows}
    today = local(now()).date()  # the unit's day
    labels = {m: f"{r.name}（{GRADE_LABELS[r.grade]}）" for m, r in rows.items()}  # options are never markdown
    with st.form("feedback_record"):
        chosen = st.multiselect(
            "党员（同一天、同一方式、同一反馈人的，可一次选多人）", list(rows),
            default=[r.member_id for r in kept.missing], format_func=labels.get, placeholder="选择党员",
            key=f"feedback_members:{campaign_id}:{path}:{len(kept.missing)}",
        )  # fmt: skip
        left, right = st.columns(2)
        given_on = left.date_input("反馈日期", value=today, max_value=today, key="feedback_date")
        given_by = right.text_input(
            "反馈人", value=actor.display_name, max_chars=feedback_records.GIVEN_BY_MAX, key="feedback_by"
        )
        way = st.radio(
            "反馈方式", list(FEEDBACK_WAYS), format_func=FEEDBACK_WAYS.get, horizontal=True, key="feedback_way"
        )
        if not st.form_submit_button("记录反馈情况", type="primary"):
            return
    entries = [FeedbackEntry(m, given_on, way, given_by) for m in chosen]
    try:
        feedback_records.record_feedback(actor=actor, campaign_id=campaign_id, branch_path=path, entries=entries)
    except FeedbackRejected as refused:
        st.error(f"未记录，共 {len(refused.problems)} 处需要修改：")
        for problem in refused.problems:
            st.markdown(f"- {plain(problem.message)}")
        return
    st.session_state["feedback_notice"] = f"已记录 {len(entries)} 名党员的反馈情况。"
    st.rerun()
