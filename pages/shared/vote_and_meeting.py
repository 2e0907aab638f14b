"""测评与组织生活会: ballots received by day against the meeting's date, 实到 and recorded absences, with the flags —
the same section on 评议结果 and on 组织生活会记录 (the filing writes the same figures)."""

import streamlit as st

from pages.shared.plain_text import plain
from services.meeting import vote_alignment
from services.staff.access import Actor


def render(actor: Actor, campaign_id: int, branch_path: str) -> None:
    aligned = vote_alignment.vote_alignment(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
    if not aligned.voted:
        return
    st.markdown("**测评与组织生活会**")
    if aligned.held_on is None:
        meeting = "尚未记录组织生活会，记录后即可核对测评票与会议"
    else:
        meeting = f"组织生活会 {aligned.held_on} 召开，实到 {aligned.present} 人（应到 {aligned.expected} 人）"
    st.markdown(f"收到测评票（按日期）：{aligned.by_day_text}。{meeting}。")
    for flag in aligned.flags:
        st.warning(plain(flag))  # names of members
    if not aligned.named:
        st.caption("本支部用无记名投票码测评，投票码不对应任何人：无法核对缺席的党员是否投了票。")
    if aligned.held_on is not None and aligned.received and not aligned.flags:
        st.caption("测评票都在组织生活会当天收到，不多于实到人数。")
    st.caption(
        "按通知，测评表在党员大会（组织生活会）上填写。以上只是提示，不影响评定格次和报送；"
        "只按日期计数，看不出哪张票是谁的。"
    )
