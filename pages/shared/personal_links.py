"""Personal links (个人链接), one per member, handed out by name: the button that issues them (revoking any
issued before) and the download of the 个人链接表. Shown on 党性分析 (before the meeting) and on the feedback
part of 评议结果 (after approval); only to those who run the branch's vote."""

from collections.abc import Iterable

import streamlit as st

from pages.shared.widgets import link_address_notice, offer_download, show_error
from services.ballot import distribution
from services.campaign.campaigns import CampaignSummary
from services.grading import feedback
from services.platform.errors import ServiceError
from services.staff.access import Actor, may_run_voting

BUTTON = "生成个人链接（此前生成的个人链接作废）"


def issue_block(
    actor: Actor, campaign: CampaignSummary, branch_path: str, branch_name: str, member_ids: Iterable[int],
    *, intro: str,
) -> None:  # fmt: skip
    """`intro` says what the links are for here; nothing is shown to those who may not run the branch's vote."""
    if not may_run_voting(actor, branch_path):
        return
    st.write(intro)
    address = link_address_notice("个人链接")
    # The links are kept under a key of their own: a widget's key cannot also be written by the page.
    kept = f"personal_links:{campaign.id}:{branch_path}"
    if address is not None and st.button(BUTTON, key="issue_personal_links"):
        try:
            st.session_state[kept] = feedback.issue_personal_links(
                actor=actor, campaign_id=campaign.id, branch_path=branch_path, base_url=address.url
            )
        except ServiceError as exc:
            show_error(exc)
            return
        st.success("已生成个人链接，请下载个人链接表，按姓名发给每位党员本人。")
    links = st.session_state.get(kept)
    ids = set(member_ids)  # links kept from another branch chosen earlier are not offered here
    if links and address and links[0].url.startswith(address.url) and all(k.member_id in ids for k in links):
        offer_download(
            actor, f"个人链接表（{len(links)} 人，.xlsx）",
            lambda: distribution.links_sheet(links, branch_name=branch_name, title="个人链接"),
            f"{branch_name}-个人链接.xlsx", campaign.id,
        )  # fmt: skip
