"""Who has not voted yet in a named-link branch, with a reminder ready to send. Never how anyone voted."""

import pandas as pd
import streamlit as st

from pages.widgets import campaign_and_branch
from services import progress
from services.access import Actor


def render(actor: Actor) -> None:
    st.title("未投票提醒")
    campaign, path = campaign_and_branch(actor, "remind")
    if path is None:
        return
    pending = progress.not_voted(actor=actor, campaign_id=campaign.id, branch_path=path)
    branch = path.rsplit("/", 1)[-1]
    if not pending:
        st.info("没有需要提醒的党员：测评尚未开启、已全部投票，或本支部使用无记名投票码（只统计人数）。")
        return
    to_remind = [p for p in pending if not p.on_paper]
    st.write(f"尚未投票 {len(to_remind)} 人；登记为纸质投票 {len(pending) - len(to_remind)} 人。")
    frame = pd.DataFrame(
        [{"姓名": p.name, "联系电话": p.phone or "", "状态": "纸质投票" if p.on_paper else "未投票"} for p in pending]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    if to_remind:
        st.subheader("提醒短信（可复制）")
        for person in to_remind:
            text = progress.reminder_text(branch_name=branch, name=person.name, deadline=campaign.deadline)
            st.code(text, language=None)
