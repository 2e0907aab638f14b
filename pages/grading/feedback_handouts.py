"""Feedback after approval: how each member reads their result, personal links, printed notices, and the
record of when, how and by whom each was told (feedback_log)."""

import streamlit as st

from models.grading import GradingState
from pages.grading import feedback_log
from pages.shared import personal_links
from pages.shared.widgets import offer_download
from services.ballot import voting
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
    if voting.state(**where).mode == "named":
        intro = "党员打开本人的测评链接，即可看到本人的评议结果（只有本人的，不含他人）。链接遗失的，可生成个人链接。"
    else:
        intro = "本支部用无记名投票码测评，投票码不对应任何人，不能用来反馈。请生成个人链接，按姓名发给每位党员本人。"
    members = [r.member_id for r in found.rows] + [m for m, _ in found.probationary]
    members += [m.member_id for m in found.not_taking_part]
    personal_links.issue_block(actor, campaign, found.branch_path, found.branch_name, members, intro=intro)
    st.caption("没有手机的党员：打印反馈通知，每人一页 A4，交本人签收。")
    offer_download(
        actor, "打印反馈通知（.html，每人一页）",
        lambda: feedback.notices_html(
            feedback.branch_views(**where), branch_name=found.branch_name, today=local(now()).date()
        ),
        f"{found.branch_name}-评议结果反馈通知.html", campaign.id,
    )  # fmt: skip
