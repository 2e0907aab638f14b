"""Organizer screen: create a campaign, upload its roster, see its organization tree."""

from datetime import date

import pandas as pd
import streamlit as st

from models.campaign import STATUS_LABELS, CampaignStatus
from pages.widgets import show_error
from services import campaigns, org, roster
from services.campaigns import TRANSITIONS
from services.errors import ServiceError


def render() -> None:
    st.title("评议活动与花名册")
    rows = campaigns.list_campaigns()
    with st.expander("创建评议活动", expanded=not rows):
        _create_form()
    if not rows:
        return
    labels = {c.id: f"{c.title}（{c.status_label}）" for c in rows}
    campaign_id = st.selectbox("选择评议活动", list(labels), format_func=labels.get, key="campaign_id")
    campaign = next(c for c in rows if c.id == campaign_id)
    _status_control(campaign)
    _roster_upload(campaign_id)
    _tree(campaign_id)


def _create_form() -> None:
    year = date.today().year
    with st.form("create_campaign"):
        title = st.text_input("活动名称", value=f"{year}年度基层党组织组织生活会和民主评议党员")
        committee = st.text_input("党委名称", value=campaigns.DEFAULT_COMMITTEE)
        left, right = st.columns(2)
        campaign_year = left.number_input("评议年度", min_value=2000, max_value=2100, value=year, step=1)
        deadline = right.date_input("截止日期", value=date(year + 1, 3, 20))
        if st.form_submit_button("创建", type="primary"):
            try:
                new_id = campaigns.create_campaign(
                    title=title, year=int(campaign_year), deadline=deadline, committee_name=committee
                )
            except ServiceError as exc:
                show_error(exc)
                return
            st.session_state["campaign_id"] = new_id
            st.rerun()


def _status_control(campaign: campaigns.CampaignSummary) -> None:
    allowed = sorted(TRANSITIONS[CampaignStatus(campaign.status)])
    st.caption(f"当前状态：{campaign.status_label}　截止日期：{campaign.deadline.isoformat()}")
    if not allowed:
        return
    cols = st.columns(len(allowed) + 3)
    for col, target in zip(cols, allowed, strict=False):
        if col.button(f"改为“{STATUS_LABELS[target]}”", key=f"status_{target}"):
            try:
                campaigns.set_status(campaign_id=campaign.id, status=target)
            except ServiceError as exc:
                show_error(exc)
                return
            st.rerun()


def _roster_upload(campaign_id: int) -> None:
    st.subheader("导入党员花名册")
    st.caption("支持 .xlsx 和 .csv。需要“姓名”“党支部”“党员类别”三列；“党总支”“性别”“联系电话”“备注”等列可选。")
    upload = st.file_uploader("选择花名册文件", type=["xlsx", "csv"], key=f"roster_{campaign_id}")
    if upload is None or not st.button("导入", type="primary", key="import_roster"):
        return
    try:
        report = roster.import_roster_file(campaign_id=campaign_id, filename=upload.name, data=upload.getvalue())
    except ServiceError as exc:
        show_error(exc)
        return
    st.success(f"导入成功：{report.summary()}")
    if report.ignored_columns:
        st.caption(f"未使用的列：{'、'.join(report.ignored_columns)}")


def _tree(campaign_id: int) -> None:
    st.subheader("组织结构")
    rows = org.branch_rows(campaign_id=campaign_id)
    if not rows:
        st.info("该活动还没有导入花名册。")
        return
    frame = pd.DataFrame(
        [
            {
                "上级组织": r.parent,
                "党支部": r.name,
                "正式党员": r.full,
                "预备党员": r.probationary,
                "合计": r.members,
            }
            for r in rows
        ]
    )
    total = frame[["正式党员", "预备党员", "合计"]].sum()
    cols = st.columns(4)
    cols[0].metric("党支部", len(rows))
    cols[1].metric("党员", int(total["合计"]))
    cols[2].metric("正式党员", int(total["正式党员"]))
    cols[3].metric("预备党员", int(total["预备党员"]))
    st.dataframe(frame, hide_index=True, width="stretch")
