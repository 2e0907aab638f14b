"""Live progress: every branch in one's scope, rolled up, charted, refreshed every few seconds."""

import pandas as pd
import streamlit as st

from models.grading import GRADING_LABELS
from pages.shared import charts
from pages.shared.plain_text import plain
from pages.shared.storage_guard import storage_guard
from pages.shared.widgets import campaign_picker, metric_row
from pages.staff import auth
from services.campaign import campaigns
from services.progress import overview
from services.progress.overview import SEAL_LABELS, STATE_LABELS
from services.staff.access import Actor

REFRESH_SECONDS = 5


def render(actor: Actor) -> None:
    st.title("测评进度")
    campaign = campaign_picker(campaigns.list_campaigns(actor=actor), key="progress_campaign")
    if campaign is None:
        return
    # Filters live outside the refreshing fragment, so a refresh never resets them.
    cols = st.columns([2, 2, 1])
    parents = cols[0].multiselect(
        "上级组织",
        overview.parent_labels(actor=actor, campaign_id=campaign.id),
        key="progress_parents",
        placeholder="全部",
    )
    states = cols[1].multiselect(
        "状态", list(STATE_LABELS), format_func=STATE_LABELS.get, key="progress_states", placeholder="全部"
    )
    below = cols[2].number_input("低于此完成率提醒（%）", 0, 100, 80, step=5, key="progress_below")
    live(actor, campaign.id, tuple(parents), tuple(states), float(below))


@st.fragment(run_every=REFRESH_SECONDS)
@storage_guard()  # a fragment's reruns run without the frame's guard
def live(actor: Actor, campaign_id: int, parents: tuple, states: tuple, below: float) -> None:
    auth.keep_live(actor)
    now = overview.campaign_progress(actor=actor, campaign_id=campaign_id)
    st.caption(f"更新于 {now.updated_at:%H:%M:%S}，每 {REFRESH_SECONDS} 秒自动刷新")
    _deadline(now, below)
    _seals(now)
    row = metric_row()
    row.metric("总体完成率", f"{now.total.percent:.1f}%", help="已收票数（在线 + 纸质）÷ 应投票人数")
    row.metric("已收 / 应投", f"{now.total.received} / {now.total.eligible}")
    row.metric("进行中 / 已结束", f"{now.total.open} / {now.total.closed}")
    row.metric("距截止", f"{now.days_left} 天")
    rows = [r for r in now.branches if (not parents or r.parent in parents) and (not states or r.state in states)]
    if not rows:
        st.info("没有符合条件的党支部。")
        return
    st.altair_chart(charts.completion_chart(rows), width="stretch")
    st.caption(charts.COLOUR_KEY)
    series = overview.ballots_over_time(actor=actor, campaign_id=campaign_id)
    if series:
        st.altair_chart(charts.over_time_chart(series), width="stretch")
    st.dataframe(_table(rows), hide_index=True, width="stretch")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "上级组织": g.label,
                    "党支部": g.branches,
                    "应投": g.eligible,
                    "已收": g.received,
                    "完成率%": g.percent,
                    "未开启": g.not_open,
                    "进行中": g.open,
                    "已结束": g.closed,
                }
                for g in now.by_parent
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def _deadline(now: overview.Progress, below: float) -> None:
    late = now.attention(below=below)
    if now.days_left < 0:
        st.error(f"已过截止日期 {now.deadline}，测评已自动结束。")
    elif late:
        names = "、".join(f"{plain(r.name)}（{STATE_LABELS[r.state]}，{r.percent:.0f}%）" for r in late[:20])
        more = f"等 {len(late)} 个" if len(late) > 20 else f"共 {len(late)} 个"
        st.warning(f"距截止还有 {now.days_left} 天，以下党支部尚未开启或完成率低于 {below:.0f}%（{more}）：{names}")


def _seals(now: overview.Progress) -> None:
    """Ballots that cannot be sealed (or stored) are the one thing here that needs an administrator."""
    if keys := [plain(r.name) for r in now.branches if r.seal == "key"]:
        st.error(
            f"以下党支部的测评票无法用本服务器的测评密钥解密：{'、'.join(keys)}。请找回投票期间使用的测评密钥"
            "（BALLOT_KEY）并重启服务；这些票仍完整保存，没有删除。"
        )
    if waiting := [plain(r.name) for r in now.branches if r.seal in ("pending", "log")]:
        st.warning(f"以下党支部测评已结束，封存尚未完成，系统每分钟重试：{'、'.join(waiting)}")


def _table(rows: list[overview.BranchProgress]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "上级组织": r.parent,
                "党支部": r.name,
                "状态": STATE_LABELS[r.state],
                "封存": SEAL_LABELS[r.seal],
                "评定格次": GRADING_LABELS[r.grading],
                "六个步骤": f"{r.steps_done}/6",
                "应投": r.eligible,
                "在线": r.online,
                "纸质": r.paper,
                "完成率%": r.percent,
                "最近一票": r.latest.strftime("%m-%d %H:%M") if r.latest else "",
                "组织生活会": r.meeting_date.isoformat() if r.meeting_date else "",
            }
            for r in rows
        ]
    )
