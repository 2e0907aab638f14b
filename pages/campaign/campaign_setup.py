"""Organizer screen: create a campaign, upload its roster, see its organization tree."""

import streamlit as st

from pages.campaign import campaign_forms
from pages.campaign.roster_import import roster_import
from pages.campaign.status_control import status_control
from pages.shared.widgets import campaign_picker, tree_table
from services.campaign import campaigns, org
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
    status_control(actor, campaign)  # asked once, with what will happen
    with st.expander("修改活动设置"):
        campaign_forms.edit_form(actor, campaign)
        campaign_forms.delete_control(actor, campaign)
    roster_import(actor, campaign.id)  # template, preview, then 确认导入
    st.subheader("组织结构")
    tree_table(org.branch_rows(actor=actor, campaign_id=campaign.id))
