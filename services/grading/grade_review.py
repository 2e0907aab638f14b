"""The branch's final grades as submitted, read-only: what the approver approves, what the branch sent, and
what everyone in scope reads once approved. Also the waiting items each account's 首页 lists: branches
waiting for this approver, and branches returned to this secretary with the approver's comment.

Who reads the grades: while submitted, the branch's graders (secretary, committee members) and its
approver; once approved, anyone whose scope covers the branch. Never while a draft or returned: then the
branch is still changing them (the grading table is the branch's own view)."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from models import BranchGrading, Campaign, Member, OrgKind, OrgUnit
from models.account import Role
from models.campaign import CampaignStatus
from models.grading import GRADING_LABELS, GradingAction, GradingState, GradingStep
from models.member import NOT_TAKING_PART
from services.campaign.org import branch_unit
from services.grading.results import BranchResults, branch_results
from services.platform.db import session_scope
from services.platform.errors import InvalidTransition, NotPermitted
from services.staff.access import Actor, may_approve_grades, may_grade, scope_condition

READABLE = (GradingState.submitted, GradingState.approved)


@dataclass(frozen=True)
class ReviewRow:
    member_id: int
    name: str
    counts: dict[str, int]  # Grade value -> valid votes
    suggested: str | None  # a Grade value; None: no valid ballot
    final: str | None
    reason: str | None
    disposition: str | None
    disposition_note: str | None
    feedback_note: str | None  # 给本人的话
    not_taking_part: str | None = None  # 未参加评议: the reason's label (and the note), when marked

    @property
    def differs(self) -> bool:
        """The final grade is not the suggested one (the branch had to give a reason)."""
        return self.final is not None and self.suggested is not None and self.final != self.suggested


@dataclass(frozen=True)
class Decision:
    """The latest step of the upper organization: who, when, and what they wrote."""

    at: datetime
    by: str
    action: str  # GradingAction value
    comment: str | None


@dataclass(frozen=True)
class GradeReview:
    campaign_id: int
    branch_path: str
    branch_name: str
    state: str
    rows: list[ReviewRow]
    submitted_at: datetime | None
    submitted_by: str | None  # the display name of who submitted last
    approved: Decision | None  # set once approved
    may_decide: bool  # the actor approves or returns these grades now

    @property
    def state_label(self) -> str:
        return GRADING_LABELS[GradingState(self.state)]

    def graded(self, grade: str) -> list[ReviewRow]:
        return [r for r in self.rows if r.final == grade]

    @property
    def differing(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.differs]


def final_grade_review(*, actor: Actor, campaign_id: int, branch_path: str) -> GradeReview:
    found = branch_results(actor=actor, campaign_id=campaign_id, branch_path=branch_path)  # the scope, checked
    approver = may_approve_grades(actor, branch_path, under_general_branch=found.under_general_branch)
    if found.state not in READABLE:
        raise InvalidTransition(f"本支部的评定格次现在是“{GRADING_LABELS[GradingState(found.state)]}”，报送后才能查看")
    if found.state == GradingState.submitted and not (approver or may_grade(actor, branch_path)):
        raise NotPermitted("没有权限：评定格次审批前，只有本支部和审批的上级党组织可以查看")
    return _review(actor, found, approver)


def _review(actor: Actor, found: BranchResults, approver: bool) -> GradeReview:
    with session_scope() as session:
        branch = branch_unit(session, found.campaign_id, found.branch_path)
        members = session.exec(
            select(Member).where(Member.branch_id == branch.id, Member.category == "full").order_by(Member.roster_order)
        ).all()
    by_id = {r.member_id: r for r in found.rows}
    rows = []
    for member in members:  # every full member, also one the results leave out (未参加评议)
        row = by_id.get(member.id)
        final = row.final if row else None
        rows.append(
            ReviewRow(
                member_id=member.id,
                name=member.name,
                counts=dict(row.counts) if row else {},
                suggested=row.suggestion.grade if row else None,
                final=final.grade if final else None,
                reason=final.reason if final else None,
                disposition=final.disposition if final else None,
                disposition_note=final.disposition_note if final else None,
                feedback_note=final.feedback_note if final else None,
                not_taking_part=_not_taking_part(member),
            )
        )
    submits = [s for s in found.history if s.action == GradingAction.submit]
    decided = [s for s in found.history if s.action == GradingAction.approve]
    return GradeReview(
        campaign_id=found.campaign_id,
        branch_path=found.branch_path,
        branch_name=found.branch_name,
        state=found.state,
        rows=rows,
        submitted_at=submits[-1].at if submits else None,
        submitted_by=submits[-1].actor_name if submits else None,
        approved=(
            Decision(decided[-1].at, decided[-1].actor_name, decided[-1].action, decided[-1].comment)
            if found.state == GradingState.approved and decided
            else None
        ),
        may_decide=approver and found.state == GradingState.submitted and found.submitted_by != actor.username,
    )


def _not_taking_part(member: Member) -> str | None:
    if not member.not_taking_part:
        return None
    label = NOT_TAKING_PART.get(member.not_taking_part, member.not_taking_part)
    return f"{label}：{member.not_taking_part_note}" if member.not_taking_part_note else label


@dataclass(frozen=True)
class WaitingItem:
    """One line of an account's 首页: a branch's grades waiting for this approver ("approve"), or returned to
    this branch's secretary ("returned", with the approver's comment)."""

    kind: str
    campaign_id: int
    campaign_title: str
    branch_path: str
    at: datetime | None  # submitted (approve) or returned (returned)
    by: str | None  # who submitted, or who returned
    comment: str | None = None


def waiting_items(*, actor: Actor) -> list[WaitingItem]:
    """Within the actor's scope, in campaigns not archived: submitted grades this actor is the one to approve
    (the general branch's secretary for a branch under it, the organizer for a direct branch; never their own
    submission), and returned grades of a branch this actor grades (an organizer: only those they submitted)."""
    with session_scope() as session:
        found = session.exec(
            select(BranchGrading, OrgUnit, Campaign)
            .join(OrgUnit, OrgUnit.id == BranchGrading.branch_id)
            .join(Campaign, Campaign.id == BranchGrading.campaign_id)
            .where(
                BranchGrading.state.in_([GradingState.submitted, GradingState.returned]),
                Campaign.status != CampaignStatus.archived,
                scope_condition(actor, OrgUnit.path),
            )
            .order_by(Campaign.id.desc(), OrgUnit.path)
        ).all()
        parents = {u.parent_id for _, u, _ in found if u.parent_id}
        kinds = dict(session.exec(select(OrgUnit.id, OrgUnit.kind).where(OrgUnit.id.in_(parents))).all())
        steps = session.exec(
            select(GradingStep)
            .where(
                GradingStep.grading_id.in_([g.id for g, _, _ in found]),
                GradingStep.action.in_([GradingAction.submit, GradingAction.send_back]),
            )
            .order_by(GradingStep.id)
        ).all()
    latest = {(s.grading_id, s.action): s for s in steps}  # the last of each kind wins
    items = []
    for grading, unit, campaign in found:
        under_general = kinds.get(unit.parent_id) == OrgKind.general_branch
        if grading.state == GradingState.submitted:
            designated = actor.role == Role.general_branch_secretary if under_general else actor.is_organizer
            if not designated or grading.submitted_by == actor.username:
                continue
            if not may_approve_grades(actor, unit.path, under_general_branch=under_general):
                continue
            step = latest.get((grading.id, GradingAction.submit))
            items.append(_item("approve", campaign, unit, step, comment=False))
        elif returned_to(actor, unit.path, grading.submitted_by):
            items.append(_item("returned", campaign, unit, latest.get((grading.id, GradingAction.send_back))))
    return items


def _item(kind: str, campaign: Campaign, unit: OrgUnit, step: GradingStep | None, comment: bool = True):
    return WaitingItem(
        kind=kind,
        campaign_id=campaign.id,
        campaign_title=campaign.title,
        branch_path=unit.path,
        at=step.at if step else None,
        by=step.actor_name if step else None,
        comment=step.comment if step and comment else None,
    )


def returned_to(actor: Actor, branch_path: str, submitted_by: str | None) -> bool:
    """Whether a return of this branch's grades is the actor's to act on: one of the branch's graders (an
    organizer, who grades any branch, only where they submitted)."""
    return may_grade(actor, branch_path) and (not actor.is_organizer or submitted_by == actor.username)


def returned_comment(found: BranchResults) -> tuple[str, datetime, str | None] | None:
    """(who, when, comment) of the return a branch's grades are under, or None when they are not returned."""
    if found.state != GradingState.returned:
        return None
    back = [s for s in found.history if s.action == GradingAction.send_back]
    return (back[-1].actor_name, back[-1].at, back[-1].comment) if back else None
