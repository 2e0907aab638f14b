"""问题清单 (step 3): the branch committee's problems, edited in one table."""

import pandas as pd
import streamlit as st

from models.meeting import PROBLEM_CATEGORIES, PROBLEM_SOURCES
from pages.shared.widgets import campaign_and_branch, records_writer, show_error
from services.meeting import problems
from services.meeting.problems import Problem
from services.platform.errors import ServiceError
from services.staff.access import Actor


def render(actor: Actor) -> None:
    st.title("问题清单")
    campaign, path = campaign_and_branch(actor, "problems")
    if path is None:
        return
    try:
        listed = problems.list_problems(actor=actor, campaign_id=campaign.id, branch_path=path)
        frame = pd.DataFrame(
            [{"问题": p.text, "类别": p.category, "来源": p.source} for p in listed], columns=["问题", "类别", "来源"]
        )
        if not records_writer(actor, campaign.id, path):
            st.dataframe(frame, hide_index=True, width="stretch")
            return
        st.caption("支部委员会查摆出的问题，逐条填写；群众意见可在“谈心谈话、征求意见”页一键列入。")
        edited = st.data_editor(
            frame, hide_index=True, width="stretch", num_rows="dynamic", key=f"problems:{campaign.id}:{path}",
            # No column is `required`: Streamlit leaves a row with an empty required cell out of what it sends,
            # so a half-filled row vanished on saving. Every row is sent; the service names what a row lacks.
            column_config={
                "问题": st.column_config.TextColumn(max_chars=500, width="large"),
                "类别": st.column_config.SelectboxColumn(options=list(PROBLEM_CATEGORIES)),
                "来源": st.column_config.SelectboxColumn(options=list(PROBLEM_SOURCES), default=PROBLEM_SOURCES[0]),
            },
        )  # fmt: skip
        if st.button("保存问题清单", type="primary", key="save_problems"):
            items = [
                Problem(*(v if isinstance(v, str) else "" for v in (r["问题"], r["类别"], r["来源"])))  # NaN: empty
                for r in edited.to_dict("records")
                if any(isinstance(v, str) and v.strip() for v in r.values())
            ]
            saved = problems.save_problems(actor=actor, campaign_id=campaign.id, branch_path=path, items=items)
            st.success(f"已保存 {len(saved)} 项")
    except ServiceError as exc:
        show_error(exc)
