"""历年对比: how each unit's turnout, 优秀 share, 基本合格 / 不合格 counts and rectification done on time moved over
the campaigns the actor can see — Altair charts, the figures as a table below (services/records/unit_trends.py)."""

import altair as alt
import pandas as pd
import streamlit as st

from services.records import unit_trends
from services.records.unit_trends import TrendRow
from services.staff.access import Actor

SHOWN_AT_FIRST = 6  # units drawn when the page opens: more lines than this cannot be told apart
_GRADES = alt.Scale(domain=["基本合格", "不合格"], range=["#bdbdbd", "#424242"])


def render(actor: Actor) -> None:
    st.title("历年对比")
    st.caption(
        "各单位历年的参评率、优秀占比、基本合格和不合格人数、整改按期完成率。单位按名称（路径）对应各年度，"
        "改过名称的单位分成两行显示。格次只计已审批的党支部；系统不记录整改事项完成的日期，"
        "“按期完成率”= 截止日期已到（不晚于今天）的整改事项中已完成的比例。"
    )
    rows = unit_trends.unit_trends(actor=actor)
    if not rows:
        st.info("还没有您管理范围内的评议活动。")
        return
    units = list(dict.fromkeys(r.unit for r in rows))
    labels = {u: u.replace("/", " / ") for u in units}
    chosen = st.multiselect("单位", units, default=units[:SHOWN_AT_FIRST], format_func=labels.get,
                            key="trends_units", placeholder="请选择单位")  # fmt: skip
    shown = [r for r in rows if r.unit in chosen]
    if not shown:
        st.info("请选择至少一个单位。")
        return
    frame = pd.DataFrame([r.as_dict() for r in shown])
    order = list(dict.fromkeys(r.campaign for r in sorted(shown, key=lambda r: (r.year, r.campaign_id))))
    if len(order) < 2:
        st.info("只有一个年度的评议活动，下一年度起可以看到变化。")
    left, right = st.columns(2)
    _rate(left, frame, order, "参评率", "参评率（%）")
    _rate(right, frame, order, "优秀占比", "优秀占比（%）")
    left, right = st.columns(2)
    left.altair_chart(grades_chart(frame, order), width="stretch")
    _rate(right, frame, order, "按期完成率", "整改按期完成率（%）")
    st.subheader("数据")
    st.dataframe(table(shown), hide_index=True, width="stretch")


def _rate(place, frame: pd.DataFrame, order: list[str], column: str, title: str) -> None:
    """The chart, or a line saying there is nothing to draw yet (an empty chart says nothing to anyone)."""
    if frame[column].notna().any():
        place.altair_chart(rate_chart(frame, order, column, title), width="stretch")
    else:
        place.caption(f"{title}：尚无数据（测评结束、格次审批或整改到期后才有）。")


def rate_chart(frame: pd.DataFrame, order: list[str], column: str, title: str) -> alt.Chart:
    """A rate in % per campaign, one line per unit; a campaign without the figure yet leaves a gap."""
    known = frame[frame[column].notna()]  # no point for a figure not known yet (a screen reader would read "null")
    return (
        alt.Chart(known, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("评议活动:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{column}:Q", title="%", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("单位:N", legend=alt.Legend(orient="top", title=None, labelLimit=200)),
            tooltip=["单位", "评议活动", alt.Tooltip(f"{column}:Q", format=".1f")],
        )
        .properties(height=260, width="container")
    )


def grades_chart(frame: pd.DataFrame, order: list[str]) -> alt.Chart:
    """基本合格 and 不合格 per campaign, stacked, one bar per unit and campaign."""
    long = frame.melt(
        id_vars=["单位", "评议活动"], value_vars=["基本合格", "不合格"], var_name="格次", value_name="人数"
    )
    return (
        alt.Chart(long, title="基本合格、不合格人数")
        .mark_bar()
        .encode(
            x=alt.X("评议活动:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("单位:N"),
            y=alt.Y("sum(人数):Q", title="人数", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("格次:N", scale=_GRADES, legend=alt.Legend(orient="top", title=None)),
            tooltip=["单位", "评议活动", "格次", "人数"],
        )
        .properties(height=260, width="container")
    )


def table(rows: list[TrendRow]) -> pd.DataFrame:
    """The figures behind the charts, one row per unit and campaign; a rate not yet known shows as —."""
    shown = []
    for r in rows:
        figures = r.as_dict()
        for column in ("参评率", "优秀占比", "按期完成率"):
            figures[column] = "—" if figures[column] is None else f"{figures[column]:.1f}%"
        del figures["年度"]
        shown.append(figures)
    return pd.DataFrame(shown)
