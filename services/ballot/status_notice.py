"""What a change of a campaign's status will do, said once before it is confirmed (page 评议活动与花名册):
opening lets the units start; closing ends voting in every branch still voting, with how many have not voted;
reopening brings back the branches that ended with the campaign; archiving is for good."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from models import BranchVoting, Campaign, CampaignStatus, Member, OrgKind, OrgUnit, TokenStatus, VoterToken
from models.campaign import STATUS_LABELS
from services.ballot.campaign_status import TRANSITIONS
from services.ballot.voting_lookup import MEMBERS
from services.ballot.voting_window import end_of
from services.campaign.members import taking_part_now
from services.platform.clock import now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from services.staff.access import Actor, require_organizer


@dataclass(frozen=True)
class StatusNotice:
    current: str  # the status the notice was made for: confirming passes it back (set_status's `expected`)
    target: str
    sentences: list[str]  # what will happen, in plain words

    @property
    def question(self) -> str:
        before, after = STATUS_LABELS[CampaignStatus(self.current)], STATUS_LABELS[CampaignStatus(self.target)]
        return f"确定把本活动由“{before}”改为“{after}”吗？"


def status_notice(*, actor: Actor, campaign_id: int, status: str) -> StatusNotice:
    require_organizer(actor, "更改评议活动状态")
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound(f"找不到编号为 {campaign_id} 的评议活动")
        current = CampaignStatus(campaign.status)
        try:
            target = CampaignStatus(status)
        except ValueError:
            raise InvalidInput(f"未知的状态“{status}”") from None
        if target not in TRANSITIONS[current]:
            raise InvalidTransition(f"不能从“{STATUS_LABELS[current]}”变为“{STATUS_LABELS[target]}”")
        sentences = _SAY[target](session, campaign)
        return StatusNotice(current=current.value, target=target.value, sentences=sentences)


def _opening(session: Session, campaign: Campaign) -> list[str]:
    if campaign.status == CampaignStatus.closed:
        return _reopening(session, campaign)
    branches = session.exec(
        select(func.count())
        .select_from(OrgUnit)
        .where(OrgUnit.campaign_id == campaign.id, OrgUnit.kind == OrgKind.branch)
    ).one()
    members = session.exec(select(func.count()).select_from(Member).where(Member.campaign_id == campaign.id)).one()
    said = [
        f"开始后，各党总支、党支部书记即可看到本活动（{branches} 个党支部、{members} 名党员），党支部可以开启测评。",
        "开始后本活动不能再删除，只能结束或归档。",
    ]
    if not members:
        said.insert(0, "本活动还没有导入花名册。")
    return said


def _closing(session: Session, campaign: Campaign) -> list[str]:
    running = _still_voting(session, campaign.id)
    waiting = _not_voted(session, running)
    said = ["结束后党员不能再投票，各党支部也不能再开启测评。"]
    if running:
        said.append(f"正在测评的 {len(running)} 个党支部将同时结束测评，其中还有 {waiting} 人尚未投票。")
    else:
        said.append("目前没有正在测评的党支部。")
    said.append("如需继续，可以再改回“进行中”。")
    return said


def _reopening(session: Session, campaign: Campaign) -> list[str]:
    running = _still_voting(session, campaign.id)
    said = [
        f"重新开始后，随活动结束而停止测评的 {len(running)} 个党支部将恢复测评（未用的链接、投票码可以继续使用）；"
        "支部自己结束测评的不受影响。"
    ]
    if now() > end_of(campaign.deadline):
        said.append(
            f"截止日期 {campaign.deadline.isoformat()} 已过：请先在“修改活动设置”中延长截止日期，否则仍不能投票。"
        )
    return said


def _archiving(session: Session, campaign: Campaign) -> list[str]:
    return ["归档后本活动不能再重新开始，活动设置也不能再修改；各项记录仍可查看和导出。", "此操作不能撤销。"]


_SAY = {
    CampaignStatus.open: _opening,
    CampaignStatus.closed: _closing,
    CampaignStatus.archived: _archiving,
}


def _still_voting(session: Session, campaign_id: int) -> list[BranchVoting]:
    """Branches whose voting was opened and not closed by their secretary: they end, or come back, with the
    campaign."""
    return list(
        session.exec(
            select(BranchVoting).where(
                BranchVoting.campaign_id == campaign_id, BranchVoting.closed_at.is_(None), MEMBERS
            )
        ).all()
    )


def _not_voted(session: Session, running: list[BranchVoting]) -> int:
    """How many members taking part in these branches have cast no ballot (online or entered on paper)."""
    if not running:
        return 0
    voters = dict(
        session.exec(
            select(Member.branch_id, func.count())
            .where(Member.branch_id.in_([v.branch_id for v in running]), taking_part_now())
            .group_by(Member.branch_id)
        ).all()
    )
    online = dict(
        session.exec(
            select(VoterToken.voting_id, func.count())
            .where(VoterToken.voting_id.in_([v.id for v in running]), VoterToken.status == TokenStatus.used)
            .group_by(VoterToken.voting_id)
        ).all()
    )
    return sum(max(voters.get(v.branch_id, 0) - online.get(v.id, 0) - v.paper_entered, 0) for v in running)
