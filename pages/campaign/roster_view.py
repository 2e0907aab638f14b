"""The roster within one's scope: branches with their counts, and the members of one branch."""

import pandas as pd
import streamlit as st

from models.member import CATEGORY_LABELS, Category
from pages.shared.widgets import campaign_picker, offer_download, tree_table
from services.campaign import campaigns, members, org, roster_export
from services.campaign.members import reason_text
from services.grading import disposition_cases
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("党员花名册")
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key="roster_campaign")
    if campaign is None:
        return
    branches = org.branch_rows(actor=actor, campaign_id=campaign.id)
    tree_table(branches)
    if not branches:
        return
    # Tables here have no download of their own (client.disableDataExport): this one is logged.
    offer_download(
        actor,
        "导出花名册（.xlsx）",
        lambda: roster_export.roster_sheet(actor=actor, campaign_id=campaign.id),
        f"{campaign.year}年度党员花名册.xlsx",
        campaign.id,
    )
    labels = {b.path: f"{b.parent} / {b.name}" if b.parent else b.name for b in branches}
    path = st.selectbox("查看党支部", list(labels), format_func=labels.get, key="roster_branch")
    rows = members.list_members(actor=actor, campaign_id=campaign.id, branch_path=path)
    # Earlier years' 组织处置 still open for the same person: a column only when there is one.
    carried = disposition_cases.carried_cases(actor=actor, campaign_id=campaign.id, branch_path=path)
    frame = pd.DataFrame(
        [
            {
                "姓名": m.name,
                "类别": CATEGORY_LABELS[Category(m.category)],
                "性别": m.gender or "",
                "联系电话": m.phone or "",
                "党小组": m.party_group or "",
                "领导干部": "是" if m.is_leading_cadre else "",
                "流动党员": "是" if m.is_away else "",
                "年老体弱": "是" if m.is_elderly_ill else "",
                "未参加评议": reason_text(m.not_taking_part, m.not_taking_part_note) if m.not_taking_part else "",
                "备注": m.note or "",
                **({"往年组织处置": carried[m.id].label if m.id in carried else ""} if carried else {}),
            }
            for m in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
