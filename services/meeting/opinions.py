"""Opinions from the masses (征求意见, step 2): anyone the branch serves leaves one through the
branch's public link, with no account and nothing kept of who they are; the secretary reads them,
marks what became of each, and copies one into the problem list."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from models import Campaign, CampaignStatus, Opinion, OrgUnit, ProblemItem
from models.audit import AuditAction
from models.meeting import OPINION_LABELS, PROBLEM_CATEGORIES, TEXT_MAX, OpinionState
from services.campaign.report_freeze import is_frozen
from services.meeting import branch_links
from services.meeting.branch_records import branch_to_read, branch_to_write, record_of
from services.platform.batch import table_rows
from services.platform.clock import local, now
from services.platform.db import lock_row, session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor

PER_BROWSER = 3  # opinions one browser may leave for a branch (a cookie: a courtesy limit, not a wall)
PER_BRANCH_HOUR = 60  # opinions a branch accepts in any hour: a flood stops here, whoever sends it


class OpinionRefused(InvalidInput):
    pass


@dataclass(frozen=True)
class OpinionTarget:
    branch_name: str
    campaign_title: str
    accepting: bool


@dataclass(frozen=True)
class OpinionRow:
    id: int
    text: str
    received_at: datetime
    state: str

    @property
    def state_label(self) -> str:
        return OPINION_LABELS[OpinionState(self.state)]


def target(token: str) -> OpinionTarget | None:
    with session_scope() as session:
        found = branch_links.resolve(session, token, "opinions")
        if found is None:
            return None
        campaign, branch = session.get(Campaign, found[0]), session.get(OrgUnit, found[1])
        accepting = campaign.status == CampaignStatus.open and not is_frozen(session, campaign.id, branch)
        return OpinionTarget(branch.name, campaign.title, accepting)


def leave_opinion(token: str, text: str | None, *, sent_from_this_browser: int) -> None:
    if sent_from_this_browser >= PER_BROWSER:
        raise OpinionRefused(f"感谢您的意见！每位群众最多可提 {PER_BROWSER} 条，您已经提交了 {PER_BROWSER} 条。")
    cleaned = checked(text, "意见建议", limit=TEXT_MAX, required=True, multiline=True)
    with session_scope() as session:
        found = branch_links.resolve(session, token, "opinions")
        if found is None:
            raise NotFound("这个征求意见链接无效")
        campaign_id, branch_id = found
        # One branch's opinions arrive one after another from here on: the hour's count below is then exact
        # however many are sent at once, and none slips in after the unit's package was reported.
        lock_row(session, "org_unit", branch_id)
        if session.get(Campaign, campaign_id).status != CampaignStatus.open:
            raise OpinionRefused("本次征求意见已经结束，感谢您的关心。")
        if is_frozen(session, campaign_id, session.get(OrgUnit, branch_id)):
            raise OpinionRefused("本支部的材料已经报送，征求意见已经结束，感谢您的关心。")
        moment = now().replace(second=0, microsecond=0)
        recent = session.exec(
            select(func.count())
            .select_from(Opinion)
            .where(Opinion.branch_id == branch_id, Opinion.received_at > moment - timedelta(hours=1))
        ).one()
        if recent >= PER_BRANCH_HOUR:
            raise OpinionRefused("这一小时内收到的意见已经很多了，请稍后再提交，您写的内容都还在。")
        session.add(Opinion(campaign_id=campaign_id, branch_id=branch_id, text=cleaned, received_at=moment))


def list_opinions(*, actor: Actor, campaign_id: int, branch_path: str) -> list[OpinionRow]:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        rows = table_rows(session, Opinion, campaign_id, branch.id, Opinion.received_at, Opinion.id)
        return [OpinionRow(o.id, o.text, local(o.received_at), o.state) for o in rows]


def mark_opinion(*, actor: Actor, campaign_id: int, branch_path: str, opinion_id: int, state: str) -> None:
    if state not in {s.value for s in OpinionState}:
        raise InvalidInput(f"意见的处理状态应为{'、'.join(OPINION_LABELS.values())}之一")
    with session_scope() as session:
        opinion = _own(session, actor, campaign_id, branch_path, opinion_id)
        opinion.state = state
        session.add(opinion)
        audit.record(
            session, actor, AuditAction.opinion_state, campaign_id=campaign_id, target=branch_path,
            detail={"state": state},
        )  # fmt: skip


def copy_to_problems(*, actor: Actor, campaign_id: int, branch_path: str, opinion_id: int, category: str) -> int:
    """The opinion becomes the last item of the problem list (source 征求意见) and is marked adopted; returns
    its number in the list. Refused when the list already holds it (a second click)."""
    if category not in PROBLEM_CATEGORIES:
        raise InvalidInput(f"请选择类别（{'、'.join(PROBLEM_CATEGORIES)}）")
    with session_scope() as session:
        opinion = _own(session, actor, campaign_id, branch_path, opinion_id)
        listed = session.exec(
            select(ProblemItem.text)
            .where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == opinion.branch_id)
            .order_by(ProblemItem.position)
        ).all()
        if opinion.text in listed:
            raise InvalidTransition(f"这条意见已在问题清单中（第 {listed.index(opinion.text) + 1} 项），没有重复列入")
        last = session.exec(
            select(func.max(ProblemItem.position)).where(
                ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id == opinion.branch_id
            )
        ).one()
        session.add(
            ProblemItem(
                campaign_id=campaign_id, branch_id=opinion.branch_id, position=(last or 0) + 1,
                text=opinion.text, category=category, source="征求意见",
            )
        )  # fmt: skip
        opinion.state = OpinionState.adopted
        session.add(opinion)
        audit.record(session, actor, AuditAction.problems_save, campaign_id=campaign_id, target=branch_path)
    return len(listed) + 1


def _own(session, actor: Actor, campaign_id: int, branch_path: str, opinion_id: int) -> Opinion:
    branch = branch_to_write(session, actor, campaign_id, branch_path)
    return record_of(session, Opinion, opinion_id, campaign_id, branch, "找不到这条意见")
