"""Home screen: the campaigns at a glance, or for an organizer the offer to load the demo unit."""

import streamlit as st

from pages.grading import grade_review
from pages.shared.plain_text import plain
from pages.shared.widgets import campaigns_table, go_to, show_error
from services import demo
from services.campaign import campaigns
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("民主评议党员")
    if notice := st.session_state.pop("home_notice", None):
        st.success(notice)
    st.caption(f"{plain(actor.display_name)}（{actor.role_label}）· 管理范围：{plain(actor.scope_label)}")
    rows = campaigns.list_campaigns(actor=actor)
    if not rows:
        _empty_state(actor)
        return
    grade_review.home_items(actor)  # grades waiting for this approver, or returned to this branch
    st.subheader("评议活动")
    campaigns_table(rows)
    if actor.is_organizer:
        go_to("campaigns", "创建活动、导入花名册：前往“评议活动与花名册”")


def _empty_state(actor: Actor) -> None:
    st.info("系统里还没有任何评议活动。")
    if not actor.is_organizer:
        st.write("评议活动由组织部创建，创建后这里会显示本单位的情况。")
        return
    left, right = st.columns(2)
    with left:
        st.markdown("**先看看效果**\n\n加载一个演示单位：1 个院党委、4 个党总支、12 个党支部、约 300 名党员。")
        if st.button("加载演示数据", type="primary", key="load_demo"):
            try:
                result = demo.load_demo(actor=actor)
            except ServiceError as exc:
                show_error(exc)
                return
            st.success(f"演示数据已加载：{result.report.summary()}")
            st.rerun()
    with right:
        st.markdown("**直接开始**\n\n在“评议活动与花名册”中创建本年度的评议活动，再上传党员花名册。")
        go_to("campaigns", "前往“评议活动与花名册”")
