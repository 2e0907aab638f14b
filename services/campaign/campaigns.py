"""Setting up campaigns: create, correct, delete, list (their status moves in services/ballot/campaign_status.py)."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, delete, func, update
from sqlmodel import Session, select

from models import BranchVoting, Campaign, CampaignStatus, Member, OrgKind, OrgUnit
from models.audit import AuditAction
from models.campaign import CAP_BASES, STATUS_LABELS
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.platform.text_input import require_plain
from services.staff import audit
from services.staff.access import Actor, require_organizer, scope_condition

DEFAULT_PARTY_COMMITTEE = "院党委"


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    title: str
    year: int
    deadline: date
    party_committee_name: str
    status: str
    excellent_cap: tuple[int, int]
    branches: int
    members: int
    full: int
    probationary: int
    demo: bool = False
    # The ballot's optional parts and its wording (None: the notice's), as the campaign form shows them.
    rate_branch_committee: bool = False
    collect_opinions: bool = False
    instructions: str | None = None
    cap_base: str = "full"  # the base of the 优秀 cap (models.campaign.CAP_BASES; services/campaign/cap.py)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[CampaignStatus(self.status)]


def create_campaign(
    *,
    actor: Actor,
    title: str,
    year: int,
    deadline: date,
    party_committee_name: str = DEFAULT_PARTY_COMMITTEE,
    excellent_cap: tuple[int, int] = (1, 3),
    rate_branch_committee: bool = False,
    collect_opinions: bool = False,
    instructions: str | None = None,
    cap_base: str = "full",
    demo: bool = False,
    session: Session | None = None,
) -> int:
    values = _checked(title, year, deadline, party_committee_name, excellent_cap, instructions, cap_base)
    require_organizer(actor, "创建评议活动")
    with session_scope(session) as session:
        _refuse_duplicate(session, values["title"], values["year"])
        campaign = Campaign(
            **values,
            rate_branch_committee=rate_branch_committee,
            collect_opinions=collect_opinions,
            demo=demo,
            created_at=now(),
        )
        session.add(campaign)
        session.flush()
        audit.record(session, actor, AuditAction.campaign_create, campaign_id=campaign.id, target=campaign.title)
        return campaign.id


def update_campaign(
    *,
    actor: Actor,
    campaign_id: int,
    title: str,
    year: int,
    deadline: date,
    party_committee_name: str,
    excellent_cap: tuple[int, int],
    rate_branch_committee: bool,
    collect_opinions: bool,
    instructions: str | None,
    cap_base: str | None = None,
) -> CampaignSummary:
    """Correct a campaign. Once a branch has opened voting, what its ballots say is fixed (the cap's base
    included): then only the deadline may still move (an extension). `cap_base` None: as it is."""
    values = _checked(title, year, deadline, party_committee_name, excellent_cap, instructions, cap_base or "full")
    if cap_base is None:
        del values["cap_base"]
    values |= {"rate_branch_committee": rate_branch_committee, "collect_opinions": collect_opinions}
    require_organizer(actor, "修改评议活动")
    with session_scope() as session:
        campaign = _campaign(session, campaign_id)
        if campaign.status == CampaignStatus.archived:
            raise InvalidTransition("已归档的活动不能再修改")
        changed = {k: v for k, v in values.items() if getattr(campaign, k) != v}
        voting_began = session.exec(select(BranchVoting.id).where(BranchVoting.campaign_id == campaign_id)).first()
        if voting_began and set(changed) - {"deadline"}:
            raise InvalidTransition("已有党支部开始测评，测评表的内容已经确定：现在只能修改截止日期")
        if "title" in changed or "year" in changed:
            _refuse_duplicate(session, values["title"], values["year"], other_than=campaign_id)
        for key, value in changed.items():
            setattr(campaign, key, value)
        if changed:
            audit.record(
                session, actor, AuditAction.campaign_update, campaign_id=campaign_id, target=campaign.title,
                detail={"fields": sorted(changed)},
            )  # fmt: skip
    return get_campaign(actor=actor, campaign_id=campaign_id)


def delete_campaign(*, actor: Actor, campaign_id: int) -> None:
    """A draft created by mistake goes, with its roster, and so does the demo unit whatever its state;
    a real campaign that was ever opened stays."""
    require_organizer(actor, "删除评议活动")
    with session_scope() as session:
        campaign = _campaign(session, campaign_id)
        if campaign.status != CampaignStatus.draft and not campaign.demo:
            raise InvalidTransition("只能删除草稿状态的活动；开始过的活动请改为“已结束”或“已归档”")
        # The demo may have voted: its ballots and links go with it (the tables cascade from branch_voting).
        session.exec(delete(BranchVoting).where(BranchVoting.campaign_id == campaign_id))
        session.exec(delete(Member).where(Member.campaign_id == campaign_id))
        session.exec(update(OrgUnit).where(OrgUnit.campaign_id == campaign_id).values(parent_id=None))
        session.exec(delete(OrgUnit).where(OrgUnit.campaign_id == campaign_id))
        audit.record(session, actor, AuditAction.campaign_delete, campaign_id=campaign_id, target=campaign.title)
        session.delete(campaign)


_YEAR_IN_TITLE = re.compile(r"(20\d\d|21\d\d)\s*年")


def _checked(
    title: str,
    year: int,
    deadline: date,
    party_committee_name: str,
    excellent_cap: tuple[int, int],
    instructions: str | None,
    cap_base: str = "full",
) -> dict:
    """The campaign's fields as stored, or InvalidInput saying which one is wrong and how."""
    title, party_committee_name = title.strip(), party_committee_name.strip()
    require_plain(title, "活动名称")
    require_plain(party_committee_name, "党委名称")
    require_plain(instructions, "测评说明", multiline=True)
    if not title:
        raise InvalidInput("活动名称不能为空")
    if len(title) > 200:
        raise InvalidInput("活动名称过长（不超过 200 字）")
    if not party_committee_name:
        raise InvalidInput("党委名称不能为空")
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"年度“{year}”不对，应为四位年份，如 2020")
    if (named := _YEAR_IN_TITLE.search(title)) and int(named.group(1)) != year:
        raise InvalidInput(f"活动名称写的是 {named.group(1)} 年度，评议年度却是 {year}：请改成一致")
    if deadline.year < year:
        raise InvalidInput(f"截止日期 {deadline.isoformat()} 早于评议年度 {year} 年")
    instructions = (instructions or "").strip() or None
    if instructions and len(instructions) > 1000:
        raise InvalidInput("测评说明不超过 1000 字")
    num, den = excellent_cap
    if not (0 < num <= den):
        raise InvalidInput("优秀比例应大于 0 且不超过 100%")
    if cap_base not in CAP_BASES:
        raise InvalidInput(f"“优秀”名额的基数只能是：{'、'.join(CAP_BASES.values())}")
    return {
        "title": title,
        "year": year,
        "deadline": deadline,
        "party_committee_name": party_committee_name,
        "excellent_cap_num": num,
        "excellent_cap_den": den,
        "instructions": instructions,
        "cap_base": cap_base,
    }


def _refuse_duplicate(session, title: str, year: int, other_than: int | None = None) -> None:
    """Two campaigns with one title and year are a slip (a double click, a second try): refuse it."""
    same = select(Campaign.id).where(Campaign.title == title, Campaign.year == year, Campaign.id != (other_than or 0))
    if session.exec(same).first():
        raise InvalidTransition(f"已有同名的 {year} 年度活动“{title}”，无需重复创建")


def _campaign(session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
    return campaign


def get_campaign(*, actor: Actor, campaign_id: int, session: Session | None = None) -> CampaignSummary:
    found = [c for c in list_campaigns(actor=actor, session=session) if c.id == campaign_id]
    if not found:
        raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
    return found[0]


def list_campaigns(*, actor: Actor, session: Session | None = None) -> list[CampaignSummary]:
    """Every campaign, newest first, with the branch and member counts within the actor's scope."""
    in_scope = scope_condition(actor, OrgUnit.path)
    with session_scope(session) as session:
        branches = dict(
            session.exec(
                select(OrgUnit.campaign_id, func.count())
                .where(OrgUnit.kind == OrgKind.branch, in_scope)
                .group_by(OrgUnit.campaign_id)
            ).all()
        )
        members = {
            row[0]: row[1:]
            for row in session.exec(
                select(
                    Member.campaign_id,
                    func.count(),
                    func.sum(case((Member.category == "full", 1), else_=0)),
                )
                .join(OrgUnit, OrgUnit.id == Member.branch_id)
                .where(in_scope)
                .group_by(Member.campaign_id)
            ).all()
        }
        listed = select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())
        if not actor.is_organizer:  # a draft is the organizers' until it opens
            listed = listed.where(Campaign.status != CampaignStatus.draft)
        campaigns = session.exec(listed).all()
        result = []
        for c in campaigns:
            total, full = members.get(c.id, (0, 0))
            result.append(
                CampaignSummary(
                    id=c.id,
                    title=c.title,
                    year=c.year,
                    deadline=c.deadline,
                    party_committee_name=c.party_committee_name,
                    status=c.status,
                    excellent_cap=(c.excellent_cap_num, c.excellent_cap_den),
                    branches=branches.get(c.id, 0),
                    members=total,
                    full=int(full or 0),
                    probationary=total - int(full or 0),
                    demo=c.demo,
                    rate_branch_committee=c.rate_branch_committee,
                    collect_opinions=c.collect_opinions,
                    instructions=c.instructions,
                    cap_base=c.cap_base,
                )
            )
        return result
