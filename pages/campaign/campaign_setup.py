"""Organizer screen: create a campaign, upload its roster, see its organization tree."""

import streamlit as st

from models.campaign import STATUS_LABELS, CampaignStatus
from pages.campaign import campaign_forms
from pages.campaign.roster_import import roster_import
from pages.shared.widgets import campaign_picker, show_error, tree_table
from services.ballot import campaign_status
from services.ballot.campaign_status import TRANSITIONS
from services.campaign import campaigns, org
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("评议活动与花名册")
    if not actor.is_organizer:
        st.error("只有组织部可以使用此页面")
        return
    if done := st.session_state.pop("campaign_done", None):
        st.success(done)
    rows = campaigns.list_campaigns(actor=actor)
    with st.expander("创建评议活动", expanded=not rows):
        campaign_forms.create_form(actor)
    campaign = campaign_picker(rows)
    if campaign is None:
        return
    _status_control(actor, campaign)
    with st.expander("修改活动设置"):
        campaign_forms.edit_form(actor, campaign)
        campaign_forms.delete_control(actor, campaign)
    roster_import(actor, campaign.id)  # template, preview, then 确认导入
    st.subheader("组织结构")
    tree_table(org.branch_rows(actor=actor, campaign_id=campaign.id))


def _status_control(actor: Actor, campaign: campaigns.CampaignSummary) -> None:
    allowed = sorted(TRANSITIONS[CampaignStatus(campaign.status)])
    st.caption(f"当前状态：{campaign.status_label}　截止日期：{campaign.deadline.isoformat()}")
    if not allowed:
        return
    cols = st.columns(len(allowed) + 3)
    for col, target in zip(cols, allowed, strict=False):
        if col.button(f"改为“{STATUS_LABELS[target]}”", key=f"status_{target}"):
            try:
                campaign_status.set_status(actor=actor, campaign_id=campaign.id, status=target)
            except ServiceError as exc:
                show_error(exc)
                return
            st.rerun()
