"""未参加评议 on the 组织测评 page: the secretary marks a member who cannot take part (abroad, seriously ill,
lost contact…) with the reason, before the vote or after it, and can take the mark back
(services/grading/taking_part.py)."""

import streamlit as st

from models.member import NOT_TAKING_PART
from pages.shared.plain_text import plain
from pages.shared.widgets import show_error
from services.campaign import members
from services.campaign.members import NOTE_MAX, reason_text
from services.grading import taking_part
from services.platform.errors import ServiceError
from services.staff.access import Actor, may_run_voting


def render(actor: Actor, campaign_id: int, path: str) -> None:
    roster = members.list_members(actor=actor, campaign_id=campaign_id, branch_path=path)
    marked = [m for m in roster if m.not_taking_part]
    st.subheader(f"未参加评议的党员（{len(marked)} 人）")
    if done := st.session_state.pop("taking_part_done", None):
        st.success(done)
    st.caption(
        "因出国（境）、重病、失联、停止党籍等不能参加评议的党员，在这里写明原因：不发给（或作废）其投票链接，"
        "不计入应参加测评人数和“优秀”名额的基数，不评定格次，在评议结果和备案材料中列明原因。"
        "测评开始前或结束后都可以标记；已经通过链接投票的党员不能标记。"
    )
    for m in marked:
        st.markdown(f"- {plain(m.name)}：{plain(reason_text(m.not_taking_part, m.not_taking_part_note))}")
    if not may_run_voting(actor, path):
        return
    taking = {m.id: m.name for m in roster if not m.not_taking_part}
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}
    with st.form(f"not_taking_part_{campaign_id}_{path}", clear_on_submit=True):
        left, right = st.columns(2)
        member_id = left.selectbox(
            "党员", list(taking), format_func=taking.get, index=None, placeholder="请选择", key="absent_member"
        )
        reason = right.selectbox(
            "原因", list(NOT_TAKING_PART), format_func=NOT_TAKING_PART.get, index=None, placeholder="请选择",
            key="absent_reason",
        )  # fmt: skip
        note = st.text_input("说明（原因为“其他”时必填）", max_chars=NOTE_MAX, key="absent_note")
        if st.form_submit_button("标记为未参加评议"):
            _act(
                lambda: taking_part.mark_not_taking_part(**where, member_id=member_id, reason=reason, note=note),
                f"已标记{plain(taking.get(member_id, ''))}为未参加评议",
                member_id,
            )
    if marked:
        names = {m.id: m.name for m in marked}
        back = st.selectbox(
            "改为参加评议", list(names), format_func=names.get, index=None, placeholder="请选择", key="absent_back"
        )
        if st.button("取消标记", key="absent_undo", disabled=back is None):
            _act(
                lambda: taking_part.mark_taking_part(**where, member_id=back),
                f"{plain(names[back])}改为参加评议；如测评正在进行，请在“补发链接”中为其补发链接",
                back,
            )


def _act(change, done: str, member_id: int | None) -> None:
    if member_id is None:
        st.error("请先选择党员")
        return
    try:
        change()
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state["taking_part_done"] = done
    st.rerun()
