"""整改落实 (step 6): the rectification list (one item at a time, or as a table), members' commitments, and the
publicity."""

from datetime import date

import pandas as pd
import streamlit as st

from models.meeting import RECTIFICATION_LABELS
from pages.meeting.commitment_rows import commitments_section
from pages.meeting.rectification_form import KEY, rectification_form
from pages.shared import item_form
from pages.shared.item_form import Row
from pages.shared.plain_text import plain
from pages.shared.widgets import campaign_and_branch, public_address, records_writer, show_error
from services.meeting import problems, publicity, rectification
from services.meeting.rectification import Rectification
from services.platform.errors import ServiceError
from services.staff.access import Actor

_STATE = {label: state.value for state, label in RECTIFICATION_LABELS.items()}


def render(actor: Actor) -> None:
    st.title("整改落实")
    campaign, path = campaign_and_branch(actor, "rectification")
    if path is None:
        return
    try:
        writer = records_writer(actor, campaign.id, path)
        _list(actor, campaign.id, path, writer)
        commitments_section(actor, campaign.id, path, writer)
        _publicity(actor, campaign.id, path, writer)
    except ServiceError as exc:
        show_error(exc)


def _list(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("整改清单")
    listed = rectification.list_rectifications(actor=actor, campaign_id=campaign_id, branch_path=path)
    today = rectification.today()
    if late := [plain(r.problem[:20]) for r in listed if r.overdue(today)]:
        st.error(f"{len(late)} 项已超过整改时限、尚未完成：{'；'.join(late)}")
    grid = f"rectification:{campaign_id}:{path}"
    known = [p.text for p in problems.list_problems(actor=actor, campaign_id=campaign_id, branch_path=path)]
    if writer:
        item_form.notice(KEY)
        if item_form.editing(KEY) is None:
            rectification_form(actor, campaign_id, path, known, None, None, grid)
    item_form.rows(
        KEY, [_row(number, r, today) for number, r in enumerate(listed, start=1)],
        writer=writer, empty="整改清单还是空的。", grid_key=grid,
        edit_form=lambda number, before: rectification_form(actor, campaign_id, path, known, number, before, grid),
        delete=lambda number, before: _delete(actor, campaign_id, path, number, before),
    )  # fmt: skip
    if not writer:
        return
    with item_form.grid_box():
        _grid(actor, campaign_id, path, listed, known, today, grid)


def _row(number: int, r: Rectification, today: date) -> Row:
    lines = [
        f"整改措施：{r.measures}",
        f"责任人：{r.responsible}　整改时限：{r.deadline}　状态：{RECTIFICATION_LABELS[r.state]}",
    ]
    if r.evidence:
        lines.append(f"完成情况：{r.evidence}")
    if r.done_on:
        lines.append(f"完成日期：{r.done_on}" + ("（晚于整改时限）" if r.done_late else ""))
    if r.overdue(today):
        lines.append("已超过整改时限")
    return Row(number, f"第 {number} 项", r.problem, lines, value=r)


def _delete(actor: Actor, campaign_id: int, path: str, number: int, before: Rectification) -> str:
    rectification.delete_rectification(
        actor=actor, campaign_id=campaign_id, branch_path=path, number=number, before=before
    )
    return f"已删除第 {number} 项。"


def _grid(
    actor: Actor, campaign_id: int, path: str, listed: list[Rectification], known: list[str], today: date, grid: str
) -> None:
    rest = ["整改措施", "责任人", "整改时限", "状态", "完成情况", "完成日期", "逾期"]
    st.caption("问题可从问题清单中选，也可在“其他问题”一栏自行填写。")
    frame = pd.DataFrame(
        [[r.problem, None, *_rest(r, today)] if r.problem in known else [None, r.problem, *_rest(r, today)]
         for r in listed],
        columns=["问题清单中的问题", "其他问题", *rest],
    )  # fmt: skip
    edited = st.data_editor(
        frame, hide_index=True, width="stretch", num_rows="dynamic", disabled=["逾期"], key=grid,
        column_config={
            "问题清单中的问题": st.column_config.SelectboxColumn(options=known, width="large"),
            "其他问题": st.column_config.TextColumn(max_chars=500, width="large"),
            # Nothing `required`: the browser would hold a half-filled row back and it would vanish on saving
            # (as on 问题清单); every row is sent, and the service names what a row lacks.
            "整改措施": st.column_config.TextColumn(max_chars=500, width="large"),
            "责任人": st.column_config.TextColumn(max_chars=60),
            "整改时限": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "状态": st.column_config.SelectboxColumn(options=list(_STATE), default=next(iter(_STATE))),
            "完成情况": st.column_config.TextColumn(max_chars=500),
            # empty: the day it was marked 已完成 (kept when saved again)
            "完成日期": st.column_config.DateColumn(format="YYYY-MM-DD", help="标为“已完成”时不填，即为当天"),
        },
    )  # fmt: skip
    if st.button("保存整改清单", type="primary", key="save_rectification"):
        items = [
            Rectification(
                _text(r["问题清单中的问题"]) or _text(r["其他问题"]), _text(r["整改措施"]), _text(r["责任人"]),
                _day(r["整改时限"]), _STATE.get(r["状态"], "not_started"), _text(r["完成情况"]) or None,
                _day(r["完成日期"]),
            )
            for r in edited.to_dict("records")
            if any(isinstance(v, str) and v.strip() for v in (r["问题清单中的问题"], r["其他问题"], r["整改措施"]))
        ]  # fmt: skip
        where = {"actor": actor, "campaign_id": campaign_id, "branch_path": path}
        item_form.attempt(
            KEY, lambda: f"整改清单已保存，共 {len(rectification.save_rectifications(**where, items=items))} 项。", grid
        )


def _rest(r: Rectification, today: date) -> list:
    overdue = "逾期" if r.overdue(today) else "逾期完成" if r.done_late else ""
    return [r.measures, r.responsible, r.deadline, RECTIFICATION_LABELS[r.state], r.evidence or "", r.done_on, overdue]


def _text(value) -> str:
    """A cell as text: an empty cell of a new row arrives as None or NaN, not as ""."""
    return value if isinstance(value, str) else ""


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date() if value is not None and not pd.isna(value) else None


def _publicity(actor: Actor, campaign_id: int, path: str, writer: bool) -> None:
    st.subheader("公示")
    current = publicity.current_period(actor=actor, campaign_id=campaign_id, branch_path=path)
    if current:
        st.info(f"公示期：{current.starts_on} 至 {current.ends_on}。发布后整改承诺不能再修改。")
    public_address(
        actor, campaign_id, path, "publicity",
        "公示页面：`{url}`\n\n只在公示期内显示整改清单和整改承诺，不显示格次、测评或电话。",
    )  # fmt: skip
    if not writer:
        return
    default = current or publicity.default_period()
    left, right = st.columns(2)
    starts_on = left.date_input("公示开始", value=default.starts_on, key="publicity_from")
    ends_on = right.date_input("公示结束", value=default.ends_on, key="publicity_to")
    if st.button("发布公示" if not current else "修改公示期", type="primary", key="publish"):
        publicity.publish(actor=actor, campaign_id=campaign_id, branch_path=path, starts_on=starts_on, ends_on=ends_on)
        st.rerun()
