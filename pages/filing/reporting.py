"""报送与备案: the filing package to download, and reporting it to the Organization Department."""

import pandas as pd
import streamlit as st

from pages.filing.unit_details import form as details_form
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_picker, offer_download, show_error
from services.campaign import campaigns
from services.campaign.org import branch_rows
from services.filing import bundle, reporting
from services.platform.clock import local, now
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("报送与备案")
    if notice := st.session_state.pop("filing_notice", None):
        st.success(notice)
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key="filing_campaign")
    if campaign is None:
        return
    try:
        units = reporting.units(actor=actor, campaign_id=campaign.id)
        _download(actor, campaign)
        _status(units)
        if actor.is_organizer:
            with st.expander("党委的报送单位信息和情况报告"):
                details_form(actor, campaign.id, "")  # the committee's own, on the committee's summary and report
        for unit in units:
            _unit(actor, campaign, unit)
    except ServiceError as exc:
        show_error(exc)


def _download(actor: Actor, campaign: campaigns.CampaignSummary) -> None:
    st.subheader("备案材料")
    st.caption(
        "ZIP 内含：民主评议党员情况统计表（汇总）、封面与目录（列出未完成事项）、情况报告（Word）、"
        "各党支部工作簿和会议照片（按党总支分文件夹）。表格可直接用 A4 纸打印。"
    )
    notices = st.checkbox("附上党员评议结果反馈通知（已审批的党支部）", key="filing_notices")
    texts = False
    if bundle.self_reviews_allowed(actor, [b.path for b in branch_rows(actor=actor, campaign_id=campaign.id)]):
        texts = st.checkbox(
            "附上党性分析全文（每个党支部一份，每名党员一页）", key="filing_self_reviews",
            help="不勾选时，备案材料只有党性分析的提交名单。附上全文时，每个党支部的读取都记入操作日志。",
        )  # fmt: skip
    wanted = (campaign.id, notices, texts)
    if st.button("准备备案材料", key="filing_prepare", type="primary"):
        _prepare(actor, campaign, notices, texts)
    ready = st.session_state.get(_READY)
    if not ready or ready["for"] != wanted:
        st.caption("点击“准备备案材料”，生成后即可下载；党支部较多时需要几十秒，请留在本页等待进度完成。")
        return
    st.caption(f"材料生成于 {ready['at']:%H:%M}；此后如有修改，请重新点击“准备备案材料”。")
    name = f"{campaign.year}年度民主评议党员备案材料.zip"
    offer_download(actor, "下载备案材料（.zip）", ready["data"], name, campaign.id)


_READY = "filing_package"  # the prepared ZIP, kept for this session until another one is prepared


def _prepare(actor: Actor, campaign: campaigns.CampaignSummary, notices: bool, texts: bool) -> None:
    """Make the ZIP with a progress bar (branches done / in all) instead of a page that looks frozen."""
    bar = st.progress(0.0, text="正在准备备案材料…")

    def shown(done: int, total: int) -> None:
        what = "备案材料已准备好" if done == total else "正在准备备案材料"
        bar.progress(done / total if total else 1.0, text=f"{what}：已完成 {done} / {total} 个党支部")

    states = reporting.report_states(actor=actor, campaign_id=campaign.id)
    made = bundle.bundle(actor=actor, campaign_id=campaign.id, today=local(now()).date(), include_notices=notices,
                         include_self_reviews=texts, reported=states, on_progress=shown)  # fmt: skip
    st.session_state[_READY] = {"for": (campaign.id, notices, texts), "data": made.data, "at": local(now())}


def _status(units: list[reporting.UnitStatus]) -> None:
    st.subheader("报送情况")
    frame = pd.DataFrame(
        [
            {
                "单位": u.name,
                "状态": u.state_label,
                "报送时间": local(u.reported_at).strftime("%Y-%m-%d %H:%M") if u.reported_at else "",
                "距截止（天）": u.days_left,
                "退回意见": u.comment or "",
                "党支部数": u.branch_count,
                "由谁报送": u.reporter,
            }
            for u in units
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _unit(actor: Actor, campaign: campaigns.CampaignSummary, unit: reporting.UnitStatus) -> None:
    where = {"actor": actor, "campaign_id": campaign.id, "unit_path": unit.path}
    reporter = actor.is_organizer or actor.scope_path == unit.path
    if not reporter:  # a branch under a general branch: say who sends it, and that it needs this branch's steps
        st.info(f"{plain(unit.name)}的备案材料{unit.reporter}：本支部完成六个步骤后，由其汇总报送组织部。")
        return
    returned = unit.state == "returned"
    with st.expander(f"{plain(unit.name)}　{unit.state_label}", expanded=not actor.is_organizer or returned):
        if returned and unit.comment:  # what to change comes first, whole, above the button that sends it again
            st.error(f"组织部退回意见：{plain(unit.comment)}")
        if unit.state in ("reported", "received"):
            if unit.received_at:
                st.success(f"组织部已于 {local(unit.received_at):%Y-%m-%d} 接收本单位的备案材料。")
            offer_download(actor, "已报送的材料（冻结副本）", lambda: reporting.frozen_package(**where),
                           f"{campaign.year}年度备案材料_{unit.name}_已报送.zip", campaign.id)  # fmt: skip
            if actor.is_organizer:
                if unit.state == "reported" and st.button(
                    "接收（材料无误）", type="primary", key=f"receive_{unit.path}"
                ):
                    reporting.receive_report(**where)
                    st.session_state["filing_notice"] = f"已接收{plain(unit.name)}的备案材料。"
                    st.rerun()
                comment = st.text_input("退回意见", key=f"return_comment_{unit.path}", max_chars=200)
                if st.button("退回", key=f"return_{unit.path}"):
                    reporting.return_report(**where, comment=comment)
                    st.session_state["filing_notice"] = f"已退回{plain(unit.name)}的备案材料。"
                    st.rerun()
            return
        details_form(actor, campaign.id, unit.path)  # cover lines and the report's paragraphs, before 报送
        lacking = reporting.missing(**where)
        if lacking:
            st.warning(f"材料尚未完成，还差 {len(lacking)} 项：")
            for line in lacking[:50]:
                st.caption(plain(line))
        if st.button("报送组织部", type="primary", key=f"report_{unit.path}", disabled=bool(lacking)):
            reporting.report(**where, today=local(now()).date())
            st.session_state["filing_notice"] = (
                f"已报送组织部：{plain(unit.name)}的备案材料（已冻结，如需修改请组织部退回）。"
            )
            st.rerun()
