"""The audit log for organizers: who changed what and when, filtered."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from services.platform.clock import local, now
from services.staff import audit
from services.staff.access import Actor
from services.staff.audit_text import ACTION_LABELS


def render(actor: Actor) -> None:
    st.title("操作日志")
    if not actor.is_organizer:
        st.error("只有组织部可以查看操作日志")
        return
    users = ["", *audit.actors(actor=actor)]
    actions = ["", *ACTION_LABELS]
    cols = st.columns(3)
    username = cols[0].selectbox("账号", users, format_func=lambda u: u or "全部", key="audit_user")
    action = cols[1].selectbox("操作", actions, format_func=lambda a: ACTION_LABELS.get(a, "全部"), key="audit_action")
    today = local(now()).date()
    period = cols[2].date_input("日期", value=(today - timedelta(days=30), today), key="audit_dates")
    since, until = (period[0], period[-1]) if period else (None, None)
    rows = audit.list_entries(actor=actor, username=username or None, action=action or None, since=since, until=until)
    st.caption(f"共 {len(rows)} 条（最多显示 500 条）")
    frame = pd.DataFrame(
        [
            {
                "时间": local(r.at).strftime("%Y-%m-%d %H:%M:%S"),
                "账号": r.actor,
                "操作": r.action_label,
                "对象": r.target or "",
                "活动": r.campaign_title,
                "详情": r.detail or "",
            }
            for r in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
