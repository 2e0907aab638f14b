"""Small display helpers shared by the dashboard screens."""

import pandas as pd
import streamlit as st

from services.campaigns import CampaignSummary
from services.errors import ImportRejected, ServiceError


def campaigns_table(rows: list[CampaignSummary]) -> None:
    frame = pd.DataFrame(
        [
            {
                "编号": c.id,
                "名称": c.title,
                "年度": c.year,
                "状态": c.status_label,
                "截止日期": c.deadline.isoformat(),
                "党支部": c.branches,
                "党员": c.members,
                "正式党员": c.full,
                "预备党员": c.probationary,
            }
            for c in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def show_error(exc: ServiceError) -> None:
    """A refusal in plain words; an import's problems as a table of row, column, problem."""
    if isinstance(exc, ImportRejected):
        st.error(f"导入失败：共 {len(exc.errors)} 处问题，没有写入任何数据。请改正后重新上传。")
        frame = pd.DataFrame([{"行": e.row or "", "列": e.column or "", "问题": e.message} for e in exc.errors])
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.error(str(exc))
