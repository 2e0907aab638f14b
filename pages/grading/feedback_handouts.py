"""Feedback after approval: how each member reads their result, personal links, printed notices, and the
record of when, how and by whom each was told (feedback_log)."""

import streamlit as st

from models.grading import GradingState
from pages.grading import feedback_log
from pages.shared.widgets import link_address_notice, offer_download
from services.ballot import distribution, voting
from services.campaign.campaigns import CampaignSummary
from services.grading import feedback
from services.grading.results import BranchResults
from services.platform.clock import local, now
from services.staff.access import Actor, may_run_voting


def render(actor: Actor, campaign: CampaignSummary, found: BranchResults) -> None:
    if found.state != GradingState.approved or not may_run_voting(actor, found.branch_path):
        return
    _handouts(actor, campaign, found)
    feedback_log.render(actor, campaign, found)


def _handouts(actor: Actor, campaign: CampaignSummary, found: BranchResults) -> None:
    st.subheader("反馈给党员本人")
    where = {"actor": actor, "campaign_id": campaign.id, "branch_path": found.branch_path}
    mode = voting.state(**where).mode
    if mode == "named":
        st.write("党员打开本人的测评链接，即可看到本人的评议结果（只有本人的，不含他人）。链接遗失的，可生成个人链接。")
    else:
        st.write("本支部用无记名投票码测评，投票码不对应任何人，不能用来反馈。请生成个人链接，按姓名发给每位党员本人。")
    address = link_address_notice()
    # The links are kept under a key of their own: a widget's key cannot also be written by the page.
    kept = f"personal_links:{campaign.id}:{found.branch_path}"
    if address is not None and st.button("生成个人链接（此前生成的个人链接作废）", key="issue_personal_links"):
        st.session_state[kept] = feedback.issue_personal_links(**where, base_url=address.url)
        st.success("已生成个人链接，请下载个人链接表，按姓名发给每位党员本人。")
    links = st.session_state.get(kept)
    if links and links[0].url.startswith(address.url if address else "") and _same_branch(links, found):
        offer_download(
            actor, f"个人链接表（{len(links)} 人，.xlsx）",
            lambda: distribution.links_sheet(links, branch_name=found.branch_name, title="个人链接"),
            f"{found.branch_name}-个人链接.xlsx", campaign.id,
        )  # fmt: skip
    st.caption("没有手机的党员：打印反馈通知，每人一页 A4，交本人签收。")
    offer_download(
        actor, "打印反馈通知（.html，每人一页）",
        lambda: feedback.notices_html(
            feedback.branch_views(**where), branch_name=found.branch_name, today=local(now()).date()
        ),
        f"{found.branch_name}-评议结果反馈通知.html", campaign.id,
    )  # fmt: skip


def _same_branch(links, found: BranchResults) -> bool:
    ids = {r.member_id for r in found.rows} | {m for m, _ in found.probationary}
    return all(link.member_id in ids for link in links)
