"""问题清单 (step 3): the branch committee's problems, added one at a time in a plain form and listed below;
the whole list as one table for power users."""

import pandas as pd
import streamlit as st

from models.meeting import PROBLEM_CATEGORIES, PROBLEM_SOURCES
from pages.shared import item_form
from pages.shared.item_form import Row
from pages.shared.widgets import campaign_and_branch, records_writer, show_error
from services.meeting import problems
from services.meeting.problems import Problem
from services.platform.errors import ServiceError
from services.staff.access import Actor

KEY = "problems"


def render(actor: Actor) -> None:
    st.title("问题清单")
    campaign, path = campaign_and_branch(actor, "problems")
    if path is None:
        return
    try:
        listed = problems.list_problems(actor=actor, campaign_id=campaign.id, branch_path=path)
        writer = records_writer(actor, campaign.id, path)
        grid = f"problems:{campaign.id}:{path}"
        if writer:
            st.caption("支部委员会查摆出的问题，一项一项填写；群众意见可在“谈心谈话、征求意见”页一键列入。")
            item_form.notice(KEY)
            if item_form.editing(KEY) is None:
                _form(actor, campaign.id, path, None, None, grid)
        item_form.rows(
            KEY, [Row(n, f"第 {n} 项", p.text, [f"类别：{p.category}　来源：{p.source}"], value=p)
                  for n, p in enumerate(listed, 1)],
            writer=writer, empty="问题清单还是空的。", grid_key=grid,
            edit_form=lambda number, before: _form(actor, campaign.id, path, number, before, grid),
            delete=lambda number, before: _delete(actor, campaign.id, path, number, before),
        )  # fmt: skip
        if writer:
            with item_form.grid_box():
                _grid(actor, campaign.id, path, listed, grid)
    except ServiceError as exc:
        show_error(exc)


def _form(actor: Actor, campaign_id: int, path: str, number: int | None, before: Problem | None, grid: str) -> None:
    """Add a problem (`number` None) or change item `number`, filled with it as it was listed."""
    with st.form(item_form.form_key(KEY, number)):
        if number is None:
            st.markdown("**添加一项问题**")
        text = st.text_area("问题", value=before.text if before else "", max_chars=500, placeholder="写清楚是什么问题")
        category = st.selectbox(
            "类别", PROBLEM_CATEGORIES, index=_at(PROBLEM_CATEGORIES, before and before.category), placeholder="请选择"
        )
        source = st.selectbox("来源", PROBLEM_SOURCES, index=_at(PROBLEM_SOURCES, before.source if before else None, 0))
        pressed = item_form.submit(number is not None, "添加这一项")
    if not pressed:
        return
    item = Problem(text, category or "", source or "")
    where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}

    def save() -> str:
        if number is None:
            return f"已添加第 {len(problems.add_problem(**where, item=item))} 项。"
        problems.update_problem(**where, number=number, before=before, item=item)
        return f"第 {number} 项已修改。"

    item_form.attempt(KEY, save, grid)


def _delete(actor: Actor, campaign_id: int, path: str, number: int, before: Problem) -> str:
    problems.delete_problem(actor=actor, campaign_id=campaign_id, branch_path=path, number=number, before=before)
    return f"已删除第 {number} 项。"


def _at(options, value, default=None) -> int | None:
    return list(options).index(value) if value in options else default


def _grid(actor: Actor, campaign_id: int, path: str, listed: list[Problem], grid: str) -> None:
    frame = pd.DataFrame(
        [{"问题": p.text, "类别": p.category, "来源": p.source} for p in listed], columns=["问题", "类别", "来源"]
    )
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", num_rows="dynamic", key=grid,
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
        where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}
        item_form.attempt(KEY, lambda: f"已保存 {len(problems.save_problems(**where, items=items))} 项", grid)
