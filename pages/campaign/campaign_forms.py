"""The campaign form, for creating a campaign and for correcting one (organizers)."""

from dataclasses import dataclass
from datetime import date

import streamlit as st

from models.campaign import CAP_BASES
from pages.shared.plain_text import plain
from pages.shared.widgets import show_error
from services.ballot.ballot_form import DEFAULT_INSTRUCTIONS
from services.campaign import campaigns
from services.campaign.campaigns import CampaignSummary
from services.platform.errors import ServiceError
from services.staff.access import Actor

_CAPS = {(1, 3): "三分之一（通知的要求）", (1, 4): "四分之一", (1, 5): "五分之一", (3, 10): "30%", (1, 2): "一半"}
# The unit decides: full members only are graded (the default); the notice says 党员总数, some units 参评党员数.
_CAP_BASE_CHOICES = {
    "full": f"{CAP_BASES['full']}（默认：只有正式党员评定格次）",
    "all": f"{CAP_BASES['all']}（通知所说的“党员总数”）",
}


# The widgets' key suffixes, emptied after a campaign is created.
_FIELD_KEYS = ("title", "party", "y", "deadline", "cap", "cap_base", "rate", "opinions", "instructions")


@dataclass(frozen=True)
class Fields:
    title: str
    year: int
    deadline: date
    party_committee_name: str
    excellent_cap: tuple[int, int]
    cap_base: str
    rate_branch_committee: bool
    collect_opinions: bool
    instructions: str | None


def _fields(key: str, current: CampaignSummary | None) -> Fields:
    year = current.year if current else date.today().year
    default_title = current.title if current else f"{year}年度基层党组织组织生活会和民主评议党员"
    title = st.text_input("活动名称", value=default_title, key=f"{key}_title")
    party_committee = st.text_input(
        "党委名称",
        value=current.party_committee_name if current else campaigns.DEFAULT_PARTY_COMMITTEE,
        key=f"{key}_party",
    )
    left, middle, right = st.columns(3)
    campaign_year = left.number_input("评议年度", min_value=2000, max_value=2100, value=year, step=1, key=f"{key}_y")
    deadline = middle.date_input(
        "截止日期", value=current.deadline if current else date(year + 1, 3, 20), key=f"{key}_deadline"
    )
    cap_now = current.excellent_cap if current else (1, 3)
    caps = _CAPS if cap_now in _CAPS else {**_CAPS, cap_now: f"{cap_now[0]}/{cap_now[1]}"}
    cap = right.selectbox(
        "“优秀”比例上限", list(caps), index=list(caps).index(cap_now), format_func=caps.get, key=f"{key}_cap"
    )
    base_now = current.cap_base if current else "full"
    cap_base = st.radio(
        "“优秀”名额的基数（印在测评表、评议结果和各统计表上；有党支部开始测评后不能再改）",
        list(CAP_BASES),
        index=list(CAP_BASES).index(base_now),
        format_func=_CAP_BASE_CHOICES.get,
        horizontal=True,
        key=f"{key}_cap_base",
    )
    rate = st.checkbox(
        "测评表中请党员评价支部委员会和书记述职（满意 / 基本满意 / 不满意）",
        value=bool(current and current.rate_branch_committee),
        key=f"{key}_rate",
    )
    opinions = st.checkbox(
        "测评表中收集意见建议（选填）", value=bool(current and current.collect_opinions), key=f"{key}_opinions"
    )
    wording = (current and current.instructions) or DEFAULT_INSTRUCTIONS
    instructions = st.text_area("测评表上的说明", value=wording, max_chars=1000, key=f"{key}_instructions")
    return Fields(
        title=title,
        year=int(campaign_year),
        deadline=deadline,
        party_committee_name=party_committee,
        excellent_cap=cap,
        cap_base=cap_base,
        rate_branch_committee=rate,
        collect_opinions=opinions,
        instructions=None if instructions.strip() == DEFAULT_INSTRUCTIONS else instructions,
    )


def create_form(actor: Actor) -> None:
    # Not clear_on_submit: a refused form comes back with what was typed; only a created campaign empties it.
    with st.form("create_campaign"):
        fields = _fields("create", None)
        if not st.form_submit_button("创建", type="primary"):
            return
    try:
        new_id = campaigns.create_campaign(actor=actor, **vars(fields))
    except ServiceError as exc:
        show_error(exc)
        return
    for field in _FIELD_KEYS:
        st.session_state.pop(f"create_{field}", None)
    st.session_state["campaign_id"] = new_id
    st.session_state["campaign_done"] = (
        f"已创建评议活动“{plain(fields.title.strip())}”（编号 {new_id}），下一步：导入花名册"
    )
    st.rerun()


def edit_form(actor: Actor, campaign: CampaignSummary) -> None:
    with st.form(f"edit_campaign_{campaign.id}"):
        fields = _fields(f"edit{campaign.id}", campaign)
        if not st.form_submit_button("保存修改"):
            return
    try:
        campaigns.update_campaign(actor=actor, campaign_id=campaign.id, **vars(fields))
    except ServiceError as exc:
        show_error(exc)
        return
    st.session_state["campaign_done"] = "活动设置已保存"
    st.rerun()


def delete_control(actor: Actor, campaign: CampaignSummary) -> None:
    if campaign.status != "draft" and not campaign.demo:
        return
    what = "演示活动" if campaign.demo else "草稿"
    sure = st.checkbox(f"删除{what}“{plain(campaign.title)}”及其花名册", key=f"delete_sure_{campaign.id}")
    if st.button("删除此活动", key=f"delete_{campaign.id}", disabled=not sure):
        try:
            campaigns.delete_campaign(actor=actor, campaign_id=campaign.id)
        except ServiceError as exc:
            show_error(exc)
            return
        st.session_state.pop("campaign_id", None)
        st.session_state["campaign_done"] = f"已删除{what}“{plain(campaign.title)}”"
        st.rerun()
