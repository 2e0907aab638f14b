"""The ballot as a voter sees it (测评表): the branch's list, cached while it votes, and the checks on a filled form."""

import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlmodel import Session, select

from models import BallotReceipt, BranchVoting, Campaign, Member, OrgUnit
from models.voting import OPINION_MAX, Grade, Satisfaction
from services.campaign.cap import excellent_cap
from services.campaign.members import takes_part
from services.platform import db
from services.platform.db import session_scope
from services.platform.errors import NotFound, ServiceError
from services.platform.text_input import has_control_characters
from services.staff.access import Actor, require_unit

# The cap's base is the campaign's setting: the ballot prints it apart (BallotForm.cap_rule), never in this text.
DEFAULT_INSTRUCTIONS = (
    "请对本支部每一名正式党员，在“优秀”“合格”“基本合格”“不合格”中选择一项。"
    "评为“优秀”的人数不超过本表写明的“优秀”名额。本测评无记名，提交后不能修改。"
)


class BallotRefused(ServiceError):
    """The link cannot be used to vote now; the message says why and nothing about anyone else."""


@dataclass(frozen=True)
class BallotForm:
    """Everything the ballot page shows for one link."""

    state: str  # open | used | paper | not_open | closed | invalid
    campaign_title: str = ""
    branch_name: str = ""
    deadline: date | None = None
    instructions: str = DEFAULT_INSTRUCTIONS
    rated: list[tuple[int, str]] = field(default_factory=list)  # the full members rated, in roster order
    cap: int = 0
    cap_rule: str = ""  # “优秀”名额：参评正式党员 7 人的三分之一，向下取整为 2 人 (services/campaign/cap.py)
    cap_basis: str = ""  # 参评正式党员 7 人的三分之一
    rate_branch_committee: bool = False
    collect_opinions: bool = False
    receipts: list[str] = field(default_factory=list)  # after closing: every receipt code of the branch
    voting_id: int | None = None
    mode: str | None = None  # named | unnamed: what the voter holds, a link or a code (wording.py)
    audience: str = "members"  # or "masses": a representative's ballot (群众评议), see representatives.py

    @property
    def heading(self) -> str:
        """What the pages call this ballot: the members' 党员民主测评 or the representatives' 群众评议."""
        return "群众评议" if self.audience == "masses" else "党员民主测评"


@dataclass(frozen=True)
class FilledBallot:
    choices: dict[int, str]  # member id -> Grade value
    branch_committee_rating: str | None = None
    report_rating: str | None = None
    opinion: str | None = None


@dataclass(frozen=True)
class BallotProblem:
    where: str  # "m<member id>", "branch_committee", "report", "opinion" or "" for the whole ballot
    message: str


_GRADES = frozenset(Grade)


_SATISFACTION = frozenset(Satisfaction)


def check(form: BallotForm, filled: FilledBallot) -> list[BallotProblem]:
    """Every problem at once, each tied to its row, so the page can mark them all."""
    chosen = [filled.choices.get(m) for m, _ in form.rated]
    problems = [
        BallotProblem(f"m{member_id}", f"请为{name}选择一项")
        for (member_id, name), grade in zip(form.rated, chosen, strict=True)
        if grade not in _GRADES
    ]
    excellent = chosen.count(Grade.excellent)
    if excellent > form.cap:
        problems.insert(
            0,
            BallotProblem(
                "",
                f"评为优秀的不超过 {form.cap} 人（{form.cap_basis}），您选了 {excellent} 人",
            ),
        )
    if form.rate_branch_committee:
        for name, label in (("branch_committee", "支部委员会"), ("report", "支部书记述职")):
            if getattr(filled, f"{name}_rating") not in _SATISFACTION:
                problems.append(BallotProblem(name, f"请对{label}作出评价"))
    if filled.opinion and len(filled.opinion) > OPINION_MAX:
        problems.append(BallotProblem("opinion", f"意见建议不超过 {OPINION_MAX} 字，现有 {len(filled.opinion)} 字"))
    elif filled.opinion and has_control_characters(filled.opinion, multiline=True):
        problems.append(BallotProblem("opinion", "意见建议中有无法显示的控制字符（如 NUL），请删去后再提交"))
    return problems


def database() -> str:
    return str(db.get_engine().url)


_LAYOUT_SECONDS = 30


_layouts: dict[tuple[str, int], tuple[float, BallotForm]] = {}


_layouts_lock = threading.Lock()


db.forget_on_dispose.append(_layouts.clear)


def cached_layout(voting_id: int) -> BallotForm:
    key = (database(), voting_id)
    with _layouts_lock:
        hit = _layouts.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    with session_scope() as session:
        voting = session.get(BranchVoting, voting_id)
        campaign, branch = session.get(Campaign, voting.campaign_id), session.get(OrgUnit, voting.branch_id)
        layout = replace(
            _layout(session, campaign, branch, "open", [], opened_at=voting.opened_at),
            voting_id=voting_id,
            mode=voting.mode,
        )
        if voting.audience == "masses":
            layout = masses_layout(layout)
    with _layouts_lock:
        _layouts[key] = (time.monotonic() + _LAYOUT_SECONDS, layout)
    return layout


MASSES_INSTRUCTIONS = (
    "您作为群众代表参加评议。请对本支部每一名正式党员，在“优秀”“合格”“基本合格”“不合格”中选择一项。"
    "本评议无记名，结果单独统计，仅供参考；提交后不能修改。"
)


def masses_layout(layout: BallotForm) -> BallotForm:
    """A representative's ballot: the same rows and grades, no cap (the cap is the members' own rule),
    no rating of the branch committee and no opinions."""
    return replace(
        layout,
        audience="masses",
        instructions=MASSES_INSTRUCTIONS,
        cap=len(layout.rated),
        cap_rule="",
        cap_basis="",
        rate_branch_committee=False,
        collect_opinions=False,
    )


def receipts(session: Session, voting_id: int) -> list[str]:
    return sorted(session.exec(select(BallotReceipt.receipt).where(BallotReceipt.voting_id == voting_id)))


def _layout(
    session: Session,
    campaign: Campaign,
    branch: OrgUnit,
    state: str,
    receipts: list[str],
    *,
    opened_at: datetime | None = None,
) -> BallotForm:
    """The rows are the full members taking part, as of the voting's opening (`opened_at`) once it has opened:
    a member marked 未参加评议 later stays a row, so the ballot never changes while it is used."""
    members = session.exec(select(Member).where(Member.branch_id == branch.id).order_by(Member.roster_order)).all()
    cap = excellent_cap(campaign, members, as_of=opened_at)
    return BallotForm(
        state=state,
        campaign_title=campaign.title,
        branch_name=branch.name,
        deadline=campaign.deadline,
        instructions=campaign.instructions or DEFAULT_INSTRUCTIONS,
        rated=[(m.id, m.name) for m in members if m.category == "full" and takes_part(m, opened_at)],
        cap=cap.limit,
        cap_rule=cap.rule,
        cap_basis=cap.basis,
        rate_branch_committee=campaign.rate_branch_committee,
        collect_opinions=campaign.collect_opinions,
        receipts=receipts,
    )


def branch_form(*, actor: Actor, campaign_id: int, branch_path: str) -> BallotForm:
    """The branch's ballot as every voter sees it (for the paper form and paper entry)."""
    require_unit(actor, branch_path)
    with session_scope() as session:
        campaign = session.get(Campaign, campaign_id)
        branch = session.exec(
            select(OrgUnit).where(OrgUnit.campaign_id == campaign_id, OrgUnit.path == branch_path)
        ).first()
        if campaign is None or branch is None:
            raise NotFound("找不到该党支部")
        voting = session.exec(
            select(BranchVoting).where(
                BranchVoting.campaign_id == campaign_id,
                BranchVoting.branch_id == branch.id,
                BranchVoting.audience == "members",
            )
        ).first()
        return _layout(session, campaign, branch, "open", [], opened_at=voting and voting.opened_at)
