"""Altair charts of progress and results: built here, drawn by the pages, checked through their specs in tests."""

import functools

import altair as alt
import pandas as pd

from models.voting import GRADE_LABELS, Grade
from services.campaign.org import DIRECT
from services.grading.results import MemberResult
from services.progress.overview import STATE_LABELS, BranchProgress

RED = "#b71c1c"
_STATE_COLOURS = alt.Scale(domain=list(STATE_LABELS.values()), range=["#bdbdbd", RED, "#5d4037"])
COLOUR_KEY = f"灰色：{STATE_LABELS['not_open']}　红色：{STATE_LABELS['open']}　褐色：{STATE_LABELS['closed']}"


def completion_chart(rows: list[BranchProgress]) -> alt.Chart:
    """Completion of each branch as a horizontal bar in roster order, coloured by state, as wide as the page:
    each bar is named with its general branch (names repeat across general branches), since a chart grouped
    into rows keeps a fixed width and ran off a phone's screen."""
    frame = pd.DataFrame(
        [
            {
                "上级组织": r.parent,
                "党支部": r.name + (r.parent if r.parent == DIRECT else f"（{r.parent}）"),  # DIRECT has its brackets
                "完成率": r.percent,
                "已收": r.received,
                "应投": r.eligible,
                "状态": STATE_LABELS[r.state],
                "最近一票": r.latest.strftime("%m-%d %H:%M") if r.latest else "—",
            }
            for r in rows
        ]
    )
    return _with_data(_completion_layout(), frame)


# The live charts of 测评进度 are laid out once and given each refresh's data: building an Altair chart
# took more server CPU than the rest of a refresh (bench/dashboards.py), and only the data changes.
_LABELS = 150  # px for the branch names beside the bars


@functools.cache
def _completion_layout() -> alt.Chart:
    return (
        alt.Chart(title="各党支部完成情况")
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            # sort=None: the rows' own order, which is the roster's
            y=alt.Y("党支部:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=_LABELS)),
            x=alt.X("完成率:Q", title="完成率（%）", scale=alt.Scale(domain=[0, 100])),
            # No legend: laid out over the bars it ran off a phone's screen; COLOUR_KEY says it under the chart.
            color=alt.Color("状态:N", scale=_STATE_COLOURS, legend=None),
            tooltip=["上级组织", "党支部", "已收", "应投", "完成率", "状态", "最近一票"],
        )
        .properties(height=alt.Step(24), width="container")
    )


def _with_data(layout: alt.Chart, frame: pd.DataFrame) -> alt.Chart:
    chart = layout.copy(deep=False)  # the cached layout itself is never changed
    chart.data = frame
    return chart


def over_time_chart(series: list[tuple]) -> alt.Chart:
    """Ballots received so far, minute by minute, at the unit's own clock times: sent without a zone, they are
    drawn as they are in every browser (with one, a browser elsewhere moved them into its own zone)."""
    wall_clock = [(moment.replace(tzinfo=None), count) for moment, count in series]
    return _with_data(_over_time_layout(), pd.DataFrame(wall_clock, columns=["时间", "累计票数"]))


@functools.cache
def _over_time_layout() -> alt.Chart:
    return (
        alt.Chart(title="累计收到测评票")
        .mark_line(color=RED, interpolate="step-after", point=True)
        .encode(
            x=alt.X("时间:T", title=None, axis=alt.Axis(format="%m-%d %H:%M")),
            y=alt.Y("累计票数:Q", title="票数", axis=alt.Axis(tickMinStep=1, format="d")),  # no half ballots
            tooltip=[alt.Tooltip("时间:T", format="%m-%d %H:%M"), "累计票数"],
        )
        .properties(height=240)
    )


_GRADE_COLOURS = alt.Scale(domain=[GRADE_LABELS[g] for g in Grade], range=["#b71c1c", "#ef9a9a", "#bdbdbd", "#424242"])


def grades_chart(rows: list[MemberResult]) -> alt.Chart:
    """Each full member's valid votes as one stacked bar, in roster order."""
    frame = pd.DataFrame(
        [
            {"姓名": r.name, "等次": GRADE_LABELS[g], "票数": r.counts.get(g.value, 0), "顺序": i}
            for i, r in enumerate(rows)
            for g in Grade
        ]
    )
    return (
        alt.Chart(frame, title="各党员得票")
        .mark_bar()
        .encode(
            y=alt.Y("姓名:N", sort=[r.name for r in rows], title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("sum(票数):Q", title="有效票数"),
            color=alt.Color("等次:N", scale=_GRADE_COLOURS, legend=alt.Legend(orient="top", title=None)),
            order=alt.Order("顺序:Q"),
            tooltip=["姓名", "等次", "票数"],
        )
        .properties(height=alt.Step(22), width=420)
    )
