"""Changing a campaign's status on 评议活动与花名册: every change is asked once, saying what will happen, with
取消 and 确认. A double click cannot make two changes: the second click of a 改为 button lands on the notice
or on 取消 (where the first button was), and after a change the page shows the result and no status button
until it is next drawn; the service refuses a confirmation made for a status that has since changed."""

import streamlit as st

from models.campaign import STATUS_LABELS, CampaignStatus
from pages.shared.widgets import show_error
from services.ballot import campaign_status, status_notice
from services.ballot.campaign_status import TRANSITIONS
from services.campaign.campaigns import CampaignSummary
from services.platform.errors import ServiceError
from services.staff.access import Actor

_ASKED = "status_asked"  # (campaign id, target status, status when asked) waiting for 确认
_DONE = "status_done"


def status_control(actor: Actor, campaign: CampaignSummary) -> None:
    st.caption(f"当前状态：{campaign.status_label}　截止日期：{campaign.deadline.isoformat()}")
    if done := st.session_state.pop(_DONE, None):
        st.success(done)
        return  # no next change in the spot just clicked: the buttons come back when the page is next drawn
    asked = st.session_state.get(_ASKED)
    if asked and asked[0] == campaign.id:
        _confirm(actor, campaign, asked[1], asked[2])
        return
    allowed = sorted(TRANSITIONS[CampaignStatus(campaign.status)])
    if not allowed:
        return
    cols = st.columns(len(allowed) + 3)
    for col, target in zip(cols, allowed, strict=False):
        if col.button(f"改为“{STATUS_LABELS[target]}”", key=f"status_{target}"):
            st.session_state[_ASKED] = (campaign.id, target.value, campaign.status)
            st.rerun()


def _confirm(actor: Actor, campaign: CampaignSummary, target: str, asked_from: str) -> None:
    try:
        notice = status_notice.status_notice(actor=actor, campaign_id=campaign.id, status=target)
    except ServiceError as exc:
        st.session_state.pop(_ASKED, None)
        show_error(exc)
        return
    with st.container(border=True):
        st.warning(notice.question + "\n\n" + "\n\n".join(notice.sentences))
        cancel, confirm, _ = st.columns([1, 1, 3])
        if cancel.button("取消", key="status_cancel"):
            st.session_state.pop(_ASKED, None)
            st.rerun()
        if confirm.button("确认", type="primary", key="status_confirm"):
            st.session_state.pop(_ASKED, None)
            try:
                changed = campaign_status.set_status(
                    actor=actor, campaign_id=campaign.id, status=target, expected=asked_from
                )
            except ServiceError as exc:
                show_error(exc)
                return
            st.session_state[_DONE] = f"已改为“{changed.status_label}”。"
            st.rerun()
