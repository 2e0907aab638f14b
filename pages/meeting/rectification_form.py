"""The one-item form of 整改清单: the problem (chosen from 问题清单 or typed), measures, who, by when, state and
what was done — stacked, so it fits a phone-width window."""

import streamlit as st

from models.meeting import RECTIFICATION_LABELS, RectificationState
from pages.shared import item_form
from services.meeting import rectification
from services.meeting.rectification import Rectification
from services.staff.access import Actor

KEY = "rectification"


def rectification_form(
    actor: Actor, campaign_id: int, path: str, known: list[str], number: int | None, before: Rectification | None,
    grid: str,
) -> None:  # fmt: skip
    """Add an item (`number` None) or change item `number`, filled with it as it was listed."""
    listed_problem = before.problem if before and before.problem in known else None
    states = list(RECTIFICATION_LABELS)
    with st.form(item_form.form_key(KEY, number)):
        if number is None:
            st.markdown("**添加一项整改**")
        chosen = st.selectbox(
            "问题（从问题清单中选）", known, index=known.index(listed_problem) if listed_problem else None,
            placeholder="请选择" if known else "问题清单还是空的，请在下面填写",
        )  # fmt: skip
        typed = st.text_area(
            "或者自己填写问题（填了这里，就不用上面选的）",
            value=before.problem if before and listed_problem is None else "", max_chars=500,
        )  # fmt: skip
        measures = st.text_area("整改措施", value=before.measures if before else "", max_chars=500)
        responsible = st.text_input("责任人", value=before.responsible if before else "", max_chars=60)
        deadline = st.date_input("整改时限", value=before.deadline if before else None, format="YYYY-MM-DD")
        state = st.selectbox(
            "状态", states, index=states.index(RectificationState(before.state)) if before else 0,
            format_func=RECTIFICATION_LABELS.get,
        )  # fmt: skip
        evidence = st.text_area(
            "完成情况（标为“已完成”时必填）", value=(before.evidence or "") if before else "", max_chars=500
        )
        pressed = item_form.submit(number is not None, "添加这一项")
    if not pressed:
        return
    item = Rectification(
        (typed or "").strip() or (chosen or ""), measures, responsible, deadline, state.value, evidence or None
    )
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}

    def save() -> str:
        if number is None:
            return f"已添加第 {len(rectification.add_rectification(**where, item=item))} 项。"
        rectification.update_rectification(**where, number=number, before=before, item=item)
        return f"第 {number} 项已修改。"

    item_form.attempt(KEY, save, grid)
