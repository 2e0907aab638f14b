"""A member across years: for a person (by 身份证号/工号, or by name), every campaign's branch, grade as approved,
组织处置 case and where it stands, commitment and feedback — only in the branches the actor may see. People who share
a name are told apart by their 身份证号/工号; rows with no id are one person per branch path."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from models import BranchGrading, Campaign, Commitment, DispositionCase, FinalGrade, GradingState, Member, OrgUnit
from models.grading import FEEDBACK_WAYS, FeedbackRecord
from models.member import NOT_TAKING_PART
from models.voting import GRADE_LABELS, Grade
from services.grading.disposition_cases import case_of
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.sheets.figures import day
from services.staff.access import Actor, can_see


@dataclass(frozen=True)
class YearEntry:
    year: int
    campaign: str
    branch: str  # the branch's path that year
    name: str  # as that year's roster has it
    category: str  # 正式党员 / 预备党员
    grade: str  # 优秀 … 不合格, 未参加评议（…）, 不评定等次, 尚未审批
    case: str  # the 组织处置 and where it stands, or ""
    commitment: str
    feedback: str  # 2026年1月5日 个别谈话（王书记）, or ""

    def as_dict(self) -> dict:
        return {"年度": self.year, "活动": self.campaign, "党支部": self.branch, "姓名": self.name,
                "类别": self.category, "格次": self.grade, "组织处置": self.case, "承诺": self.commitment,
                "反馈": self.feedback}  # fmt: skip


@dataclass(frozen=True)
class Person:
    key: str  # the 身份证号/工号 masked (last four shown), or the branch path for rows with no id
    entries: list[YearEntry]  # oldest first

    def as_dict(self) -> dict:
        return {"人员": self.key, "历年": [e.as_dict() for e in self.entries]}


def member_history(*, actor: Actor, person: str) -> list[Person]:
    """Every person whose 身份证号/工号 is `person`, or named `person` in any campaign (the same id links their
    other names across years), with their record in the branches the actor may see."""
    person = person.strip()
    if not person:
        raise InvalidInput("请写出党员的姓名或身份证号/工号")
    today = local(now()).date()
    with session_scope() as session:
        ids = set(session.exec(
            select(Member.person_id).where((Member.name == person) | (Member.person_id == person),
                                           Member.person_id.is_not(None))
        ).all())  # fmt: skip
        rows = session.exec(
            select(Member, OrgUnit.path, Campaign, FinalGrade, BranchGrading.state, DispositionCase, Commitment,
                   FeedbackRecord)
            .join(OrgUnit, OrgUnit.id == Member.branch_id)
            .join(Campaign, Campaign.id == Member.campaign_id)
            .outerjoin(FinalGrade, FinalGrade.member_id == Member.id)
            .outerjoin(BranchGrading, BranchGrading.id == FinalGrade.grading_id)
            .outerjoin(DispositionCase, DispositionCase.member_id == Member.id)
            .outerjoin(Commitment, Commitment.member_id == Member.id)
            .outerjoin(FeedbackRecord, FeedbackRecord.member_id == Member.id)
            .where(Member.person_id.in_(ids) | ((Member.name == person) & Member.person_id.is_(None)))
            .order_by(Campaign.year, Campaign.id)
        ).all()  # fmt: skip
    people: dict[str, list[YearEntry]] = {}
    for member, path, campaign, final, state, case, commitment, feedback in rows:
        if not can_see(actor, path):
            continue
        key = _masked(member.person_id) if member.person_id else path.replace("/", " / ")
        people.setdefault(key, []).append(YearEntry(
            campaign.year, campaign.title, path.replace("/", " / "), member.name,
            "正式党员" if member.category == "full" else "预备党员",
            _grade(member, final, state), _case(member, final, case, today), commitment.text if commitment else "",
            _feedback(feedback),
        ))  # fmt: skip
    return [Person(key, entries) for key, entries in people.items()]


def _masked(person_id: str) -> str:
    """Never the whole number on screen or in a file: the last four digits."""
    return f"身份证号/工号尾号 {person_id[-4:]}"


def _grade(member: Member, final: FinalGrade | None, state: str | None) -> str:
    if member.not_taking_part:
        return f"未参加评议（{NOT_TAKING_PART.get(member.not_taking_part, '其他')}）"
    if member.category != "full":
        return "不评定等次"
    if final is None or not final.grade:
        return "尚未评定"
    if state != GradingState.approved:
        return "尚未审批"
    return GRADE_LABELS[Grade(final.grade)]


def _case(member: Member, final: FinalGrade | None, case: DispositionCase | None, today: date) -> str:
    if final is None or not final.disposition or final.grade != Grade.unqualified:
        return ""
    return f"{final.disposition}：{case_of(member, final, case).stage(today)}"


def _feedback(record: FeedbackRecord | None) -> str:
    if record is None:
        return ""
    return f"{day(record.given_on)} {FEEDBACK_WAYS[record.way]}（{record.given_by}）"
