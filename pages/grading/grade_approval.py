"""Approval by the upper organization (报上级党组织审批), reopening by the organizer, and the history."""

import pandas as pd
import streamlit as st

from models.grading import GRADING_ACTION_LABELS, GradingAction, GradingState
from services.grading import final_grades
from services.grading.results import BranchResults
from services.platform.clock import local
from services.staff.access import Actor, may_approve_grades


def render(actor: Actor, found: BranchResults) -> None:
    where = {"actor": actor, "campaign_id": found.campaign_id, "branch_path": found.branch_path}
    approver = may_approve_grades(actor, found.branch_path, under_general_branch=found.under_general_branch)
    if found.state == GradingState.submitted and approver:
        st.subheader("审批")
        if found.submitted_by == actor.username:
            st.info("这份评定格次是您报送的，须由上级党组织的其他同志审批。")
        else:
            comment = st.text_area("审批意见（退回时必填）", key="approval_comment", max_chars=200)
            left, right = st.columns(2)
            if left.button("审批通过", type="primary", key="approve_grades"):
                final_grades.approve_grades(**where, comment=comment)
                st.rerun()
            if right.button("退回修改", key="return_grades"):
                final_grades.return_grades(**where, comment=comment)
                st.rerun()
    elif found.state == GradingState.submitted:
        st.info("已报上级党组织审批，等待审批。")
    if found.state == GradingState.approved and actor.is_organizer:
        with st.expander("重新打开已审批的评定格次"):
            reason = st.text_input("原因（必填，记入日志）", key="reopen_reason", max_chars=200)
            if st.button("重新打开", key="reopen_grades"):
                final_grades.reopen_grades(**where, reason=reason)
                st.rerun()
    if found.history:
        st.subheader("评定与审批记录")
        steps = [s for s in found.history if s.action != GradingAction.save] or found.history[-1:]
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "时间": local(s.at).strftime("%Y-%m-%d %H:%M"),
                        "操作": GRADING_ACTION_LABELS[GradingAction(s.action)],
                        "操作人": s.actor_name,
                        "意见": s.comment or "",
                    }
                    for s in steps
                ]
            ),
            hide_index=True,
            width="stretch",
        )
