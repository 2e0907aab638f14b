"""首页: what this account should do next — a branch's six steps with the current one first and one button to
it; a general branch's approvals, its branches behind and 报送; the organizer's units behind and the days left.
On an empty database, the organizer's offer to load the demo unit. The rule is services/progress/next_step.py."""

import pandas as pd
import streamlit as st

from models.grading import GRADING_LABELS
from pages.grading import grade_review
from pages.progress.checklist import ICONS
from pages.shared.plain_text import plain
from pages.shared.widgets import campaigns_table, go_to, show_error
from services import demo
from services.campaign import campaigns, org
from services.campaign.campaigns import CampaignSummary
from services.platform.errors import ServiceError
from services.progress import checklist, next_step
from services.staff.access import Actor

UNKNOWN_ADDRESS = "unknown_address"  # set by dashboard.py when the address named no page


def render(actor: Actor) -> None:
    st.title("民主评议党员")
    if notice := st.session_state.pop("home_notice", None):
        st.success(notice)
    if (unknown := st.session_state.get(UNKNOWN_ADDRESS)) is not None:  # until another page is opened
        st.warning(f"没有这个页面（/{plain(unknown)}），已回到首页。请从左侧菜单选择要去的页面。")
    st.caption(f"{plain(actor.display_name)}（{actor.role_label}）· 管理范围：{plain(actor.scope_label)}")
    go_to("help", f"第一次使用？请看{actor.role_label}的使用说明：前往“帮助”")
    rows = campaigns.list_campaigns(actor=actor)
    if not rows:
        _empty_state(actor)
        return
    grade_review.home_items(actor)  # grades waiting for this approver, or returned to this branch
    try:
        _next_steps(actor, rows)
    except ServiceError as exc:
        show_error(exc)
    with st.expander(f"全部评议活动（{len(rows)} 个）", expanded=actor.is_organizer):
        campaigns_table(rows)
        if actor.is_organizer:
            go_to("campaigns", "创建活动、导入花名册：前往“评议活动与花名册”")


def _next_steps(actor: Actor, rows: list[CampaignSummary]) -> None:
    """The newest campaign still running that holds the actor's branches."""
    running = [c for c in rows if c.status != "archived"] or rows
    for campaign in running:
        branches = org.branch_rows(actor=actor, campaign_id=campaign.id)
        if branches:
            break
    else:
        st.info("当前的评议活动中还没有您管理的党支部（花名册尚未导入）。")
        return
    if actor.role in ("branch_secretary", "committee_member"):
        for row in branches:
            _branch(actor, campaign, row.path)
    else:
        _units(actor, campaign)


def _branch(actor: Actor, campaign: CampaignSummary, path: str) -> None:
    plan = next_step.branch_plan(actor=actor, campaign_id=campaign.id, branch_path=path)
    st.subheader(f"{plain(path.replace('/', ' / '))}（{plain(campaign.title)}）")
    st.progress(plan.done / len(plan.steps), text=f"六个步骤已完成 {plan.done} 个")
    current = plan.next
    with st.container(border=True):
        if current.step is not None:
            step = plan.steps[current.step]
            st.markdown(f"**当前：{step.title}**　{step.state_label}")
            for line in step.missing:
                st.caption(f"还差：{plain(line)}")
        st.write(current.why)
        if current.page is not None:
            _next_button(current.label, current.page, campaign.id, path)
        else:
            st.info(current.label)
    for index, step in plan.ordered():
        if index == current.step:
            continue
        left, right = st.columns([4, 1], vertical_alignment="center")
        missing = "；".join(plain(line) for line in step.missing)
        missing = f"　还差：{missing}" if missing else ""
        left.markdown(f"{ICONS[step.state]} {step.title}　{step.state_label}{missing}")
        with right:
            go_to(step.page, "查看" if step.state == checklist.DONE else "前往", {"c": campaign.id, "b": path})
    st.caption(f"报送：由{plan.reporter}报送组织部，目前{plan.report_label}。")


def _next_button(label: str, page: str, campaign_id: int, path: str | None) -> None:
    """The one primary button of 首页: it opens the page of the next step on this campaign (and branch)."""
    target = st.session_state.get("_pages", {}).get(page)
    if target is None:
        st.caption(label)
        return
    if st.button(label, type="primary", key="next_step", icon=":material/arrow_forward:"):
        params = {"c": campaign_id} | ({"b": path} if path else {})
        st.switch_page(target, query_params=params)


def _units(actor: Actor, campaign: CampaignSummary) -> None:
    standing = next_step.units_behind(actor=actor, campaign_id=campaign.id)
    st.subheader(f"{plain(campaign.title)}：{standing.deadline_text}")
    if not actor.is_organizer:
        _report_button(actor, standing)
    if not standing.behind:
        st.success("各单位均已报送。")
        return
    done = f"已报送 {standing.reported} 个单位，尚未报送 {len(standing.behind)} 个"
    st.write(f"{done}（按完成情况排列，进度最慢的在前）。")
    if actor.is_organizer:
        frame = pd.DataFrame([_unit_row(u) for u in standing.behind])
        st.dataframe(frame, hide_index=True, width="stretch")
        go_to("progress", "查看各支部的测评进度：前往“测评进度”")
        return
    for unit in standing.behind:
        behind = [b for b in unit.branches if b.steps_done < len(checklist.STEPS)]
        finished = len(unit.branches) - len(behind)
        st.markdown(f"**{plain(unit.name)}**　{finished} / {len(unit.branches)} 个党支部完成六个步骤")
        if behind:
            frame = pd.DataFrame(
                [
                    {"党支部": b.name, "六个步骤": f"{b.steps_done}/6", "测评": b.vote_label,
                     "评定格次": GRADING_LABELS.get(b.grading, b.grading)}
                    for b in behind
                ]
            )  # fmt: skip
            st.dataframe(frame, hide_index=True, width="stretch")


def _report_button(actor: Actor, standing: next_step.Standing) -> None:
    """A general branch's secretary: 报送 once every branch of the unit has done its six steps."""
    for unit in standing.behind:
        if unit.path == actor.scope_path and unit.done == len(unit.branches):
            with st.container(border=True):
                st.write("本党总支各党支部的六个步骤均已完成，可以报送组织部。")
                _next_button("下一步：报送备案材料", "filing", standing.campaign_id, None)


def _unit_row(unit: next_step.UnitBehind) -> dict:
    return {
        "单位": unit.name,
        "报送": unit.report_label,
        "完成六个步骤的党支部": f"{unit.done} / {len(unit.branches)}",
        "未开启测评": sum(1 for b in unit.branches if b.vote == "not_open"),
        "待审批": sum(1 for b in unit.branches if b.grading == "submitted"),
    }


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
