"""Who has not voted yet, with reminders ready to send: one per person (with their own link, for those
who run the vote) and one for the branch's WeChat group with no names. Never how anyone voted."""

import pandas as pd
import streamlit as st

from pages.shared.copy_text import copy_text
from pages.shared.widgets import campaign_and_branch, link_address_notice
from services.ballot import reminders, voter_links, voting
from services.platform.link_address import LinkAddress
from services.staff.access import Actor, may_run_voting


def render(actor: Actor) -> None:
    st.title("未投票提醒")
    campaign, path = campaign_and_branch(actor, "remind")
    if path is None:
        return
    state = voting.state(actor=actor, campaign_id=campaign.id, branch_path=path)
    if state.status != "open":
        st.info("本支部的测评不在进行中，无需提醒。")
        return
    waiting = state.voters - state.ballots
    st.subheader("群提醒（不含姓名，可发到支部微信群）")
    copy_text(
        reminders.chat_reminder_text(
            branch_name=state.branch_name, waiting=waiting, deadline=campaign.deadline, mode=state.mode
        )
    )
    pending = reminders.not_voted(actor=actor, campaign_id=campaign.id, branch_path=path)
    if not pending:
        st.info("本支部使用无记名投票码（只统计人数，不知道谁未投票），或已全部投票。")
        return
    to_remind = [p for p in pending if not p.on_paper]
    st.write(f"尚未投票 {len(to_remind)} 人；登记为纸质投票 {len(pending) - len(to_remind)} 人。")
    frame = pd.DataFrame(
        [{"姓名": p.name, "联系电话": p.phone or "", "状态": "纸质投票" if p.on_paper else "未投票"} for p in pending]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    if to_remind:
        # Texts with links are links handed out: where they point is shown, and loud when phones cannot reach it.
        address = link_address_notice() if may_run_voting(actor, path) else None
        urls = _links(actor, campaign.id, path, address)
        st.subheader("个人提醒（可复制，含本人的测评链接）" if urls else "个人提醒（可复制）")
        for person in to_remind:
            text = reminders.reminder_text(
                branch_name=state.branch_name,
                name=person.name,
                deadline=campaign.deadline,
                url=urls.get(person.member_id),
            )
            copy_text(text)


def _links(actor: Actor, campaign_id: int, path: str, address: LinkAddress | None) -> dict[int, str]:
    """Each member's own unused link, for those who run the vote; nobody else sees links."""
    if address is None:
        return {}
    found = voter_links.current_links(actor=actor, campaign_id=campaign_id, branch_path=path, base_url=address.url)
    return {link.member_id: link.url for link in found.links}
