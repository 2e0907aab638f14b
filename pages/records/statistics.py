"""党内统计: the 党内统计年报's 民主评议党员 figures of one campaign — the units as rows with the 年报's columns, the
reasons of 未参加评议, the 组织处置 by kind, last year's 限期改正 by name with what became of each — and the same as
an A4 workbook to download."""

import pandas as pd
import streamlit as st

from models.grading import DISPOSITION_KINDS
from pages.shared.widgets import campaign_picker, offer_download
from services.campaign import campaigns
from services.filing import statistics_sheet
from services.platform.clock import local, now
from services.records import statistics
from services.staff.access import Actor


def admits(actor: Actor) -> bool:
    """The organizer, and whoever reports a unit: a general branch's secretary, a directly affiliated branch's
    (a branch under a general branch is counted in its general branch's figures, not on its own)."""
    return actor.is_organizer or "/" not in (actor.scope_path or "/")


def render(actor: Actor) -> None:
    st.title("党内统计")
    st.caption("党内统计年报“民主评议党员”表所需的数字：格次只计已审批的党支部，预备党员参加评议、不评定格次。")
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key="statistics_campaign")
    if campaign is None:
        return
    found = statistics.statistics(actor=actor, campaign_id=campaign.id)
    if not found.units:
        st.info("该活动中没有您管理范围内的党支部。")
        return
    units = [*found.units, found.total]
    st.subheader("民主评议党员情况")
    st.dataframe(pd.DataFrame([statistics_sheet.figures_row(f) for f in units], columns=statistics_sheet.HEADER),
                 hide_index=True, width="stretch")  # fmt: skip
    if found.total.awaiting_approval:
        st.info(f"还有 {found.total.awaiting_approval} 名正式党员所在党支部的格次尚未审批，未计入各格次。")
    st.subheader("未参加评议的原因")
    reasons = statistics_sheet.reasons_in(found)
    if reasons:
        frame = [{"单位": f.unit.replace("/", " / "), **{r: f.not_taking_part.get(r, 0) for r in reasons},
                  "合计": f.absent} for f in units]  # fmt: skip
        st.dataframe(pd.DataFrame(frame), hide_index=True, width="stretch")
    else:
        st.write("无")
    st.subheader("组织处置")
    kinds = [{"单位": f.unit.replace("/", " / "), **{k: f.dispositions[k] for k in DISPOSITION_KINDS}} for f in units]
    st.dataframe(pd.DataFrame(kinds), hide_index=True, width="stretch")
    st.subheader(f"上年度（{found.year - 1}年）限期改正的党员及其结果")
    if found.corrections:
        listed = [
            {"姓名": c.name, "上年度党支部": c.branch.replace("/", " / "), "处置进展": c.stage,
             "是否结案": "是" if c.closed else "否", "本年度情况": c.this_year}
            for c in found.corrections
        ]  # fmt: skip
        st.dataframe(pd.DataFrame(listed), hide_index=True, width="stretch")
    else:
        st.write("无")
    unit = campaign.party_committee_name if actor.is_organizer else actor.scope_label
    offer_download(
        actor,
        "下载党内统计表（.xlsx，A4）",
        lambda: statistics_sheet.statistics_workbook(found, unit=unit, today=local(now()).date()),
        f"{campaign.year}年度{statistics_sheet.FILE_NAME}",
        campaign.id,
    )
