"""The unit's written report (情况报告) as data: the figures of a general branch, a direct branch or the whole
committee, drawn from the summary's rows and a few grouped queries over the same branches, and the report's
paragraphs — each section's figures first, then the unit's own paragraphs as typed (services/filing/unit_details.py).
unit_report_docx.py writes it as a .docx."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import select

from models import FinalGrade, MeetingAbsence, MeetingRecord, Member, Opinion, OrgUnit, ProblemItem
from models.meeting import OpinionState
from models.voting import GRADE_LABELS, Grade
from services.campaign.org import DIRECT
from services.filing.summary import Summary, SummaryRow
from services.filing.unit_details import SECTIONS, UnitDetails
from services.platform.db import session_scope
from services.sheets.figures import percent


@dataclass
class UnitFigures:
    """What the report states, for the branches of one unit (or the committee)."""

    branches: int = 0
    general_branches: int = 0  # the committee's report: its general branches and direct branches
    direct_branches: int = 0
    members: int = 0
    full: int = 0
    probationary: int = 0
    meetings: int = 0  # branches that held their meeting
    due: int = 0  # 应参评: members but those not taking part (未参加评议)
    took_part: int = 0  # 实参评: ballots received
    absent: int = 0  # 未参加评议
    not_graded: int = 0  # 不评定等次: probationary members taking part
    grades: dict[str, int] = field(default_factory=lambda: {g.value: 0 for g in Grade})
    dispositions: Counter = field(default_factory=Counter)  # 组织处置 kind -> members
    cadres: list[str] = field(default_factory=list)  # leading cadres present at their branch's meeting
    problems: Counter = field(default_factory=Counter)  # category -> problems listed
    rectification_open: int = 0
    rectification_done: int = 0
    opinions: int = 0  # received through the branch's opinions link
    adopted: int = 0

    @property
    def turnout(self) -> float:
        return percent(self.took_part, self.due)


@dataclass(frozen=True)
class Report:
    title: str
    addressee: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    unit: str
    dated: date


def title(year: int) -> str:
    return f"关于召开{year}年度基层党组织组织生活会和开展民主评议党员情况的报告"


def extras(campaign_id: int, found: Summary) -> dict[str, dict]:
    """Branch path -> what the summary does not carry: leading cadres present, dispositions by kind,
    problems by category, opinions received and adopted — a few grouped statements for all branches."""
    paths = [row.path for _, rows, _ in found.groups for row in rows]
    out: dict[str, dict] = {p: {"cadres": [], "dispositions": Counter(), "problems": Counter(), "opinions": Counter()}
                            for p in paths}  # fmt: skip
    if not paths:
        return out
    with session_scope() as session:
        ids = dict(session.exec(
            select(OrgUnit.id, OrgUnit.path).where(OrgUnit.campaign_id == campaign_id, OrgUnit.path.in_(paths))
        ).all())  # fmt: skip
        wanted = list(ids)
        meetings = dict(session.exec(select(MeetingRecord.branch_id, MeetingRecord.id).where(
            MeetingRecord.campaign_id == campaign_id, MeetingRecord.branch_id.in_(wanted))).all())  # fmt: skip
        away = set(session.exec(select(MeetingAbsence.member_id).where(
            MeetingAbsence.meeting_id.in_(list(meetings.values())))).all())  # fmt: skip
        for member_id, branch_id, name in session.exec(
            select(Member.id, Member.branch_id, Member.name)
            .where(Member.branch_id.in_(wanted), Member.is_leading_cadre)
            .order_by(Member.branch_id, Member.roster_order)
        ).all():
            if branch_id in meetings and member_id not in away:
                out[ids[branch_id]]["cadres"].append(name)
        for branch_id, kind, count in session.exec(
            select(Member.branch_id, FinalGrade.disposition, func.count())
            .join(FinalGrade, FinalGrade.member_id == Member.id)
            .where(Member.branch_id.in_(wanted), FinalGrade.disposition.is_not(None))
            .group_by(Member.branch_id, FinalGrade.disposition)
        ).all():
            out[ids[branch_id]]["dispositions"][kind] += count
        for branch_id, category, count in session.exec(
            select(ProblemItem.branch_id, ProblemItem.category, func.count())
            .where(ProblemItem.campaign_id == campaign_id, ProblemItem.branch_id.in_(wanted))
            .group_by(ProblemItem.branch_id, ProblemItem.category)
        ).all():
            out[ids[branch_id]]["problems"][category] += count
        for branch_id, state, count in session.exec(
            select(Opinion.branch_id, Opinion.state, func.count())
            .where(Opinion.campaign_id == campaign_id, Opinion.branch_id.in_(wanted))
            .group_by(Opinion.branch_id, Opinion.state)
        ).all():
            out[ids[branch_id]]["opinions"][state] += count
    return out


def figures(rows: list[SummaryRow], more: dict[str, dict]) -> UnitFigures:
    f = UnitFigures(branches=len(rows))
    for row in rows:
        f.members, f.full, f.probationary = (
            f.members + row.members,
            f.full + row.full,
            f.probationary + row.probationary,
        )
        f.meetings += 1 if row.meeting else 0
        f.due += row.members - row.absent
        f.took_part += row.received
        f.absent += row.absent
        f.not_graded += row.probationary - (row.absent - row.absent_full)
        for g in f.grades:
            f.grades[g] += row.grades[g]
        f.rectification_open += row.rectification_open
        f.rectification_done += row.rectification_done
        extra = more[row.path]
        f.cadres += extra["cadres"]
        f.dispositions.update(extra["dispositions"])
        f.problems.update(extra["problems"])
        f.opinions += sum(extra["opinions"].values())
        f.adopted += extra["opinions"][OpinionState.adopted]
    return f


def units(found: Summary) -> list[tuple[str, str, str, list[SummaryRow]]]:
    """The reporting units among the summary's branches: (folder key, unit path, name, its branch rows) —
    a general branch with its branches, each direct branch on its own."""
    out = []
    for label, rows, _ in found.groups:
        if label == DIRECT:
            out += [(DIRECT, row.path, row.label, [row]) for row in rows]
        elif rows:
            out.append((label, rows[0].path.rsplit("/", 1)[0], label.rsplit(" / ", 1)[-1], rows))
    return out


def report(*, year: int, unit: str, addressee: str, f: UnitFigures, details: UnitDetails, today: date) -> Report:
    own = details.sections
    counts = "、".join(f"{GRADE_LABELS[g]} {f.grades[g.value]} 名" for g in Grade)
    kinds = "、".join(f"{k} {n} 名" for k, n in f.dispositions.items())
    listed = sum(f.problems.values())
    texts = {
        "overview": (f"{unit}" + (f"下设党总支 {f.general_branches} 个、直属党支部 {f.direct_branches} 个，"
                                  if f.general_branches or f.direct_branches else "")
                     + f"共有党支部 {f.branches} 个，党员 {f.members} 名，其中正式党员 {f.full} 名、"
                     f"预备党员 {f.probationary} 名。"),
        "meetings": (f"{f.meetings} 个党支部召开了组织生活会（共 {f.branches} 个）。"
                     + (f"党员领导干部 {len(f.cadres)} 名以普通党员身份参加所在党支部的组织生活会："
                        f"{'、'.join(f.cadres)}。" if f.cadres else "没有党员领导干部以普通党员身份参加的记录。")),
        "evaluation": (f"应参评党员 {f.due} 名，实参评 {f.took_part} 名，参评率 {f.turnout:.1f}%；"
                       f"未参加评议 {f.absent} 名。评定格次：{counts}；预备党员 {f.not_graded} 名不评定等次。"
                       + (f"对评定为不合格的党员作出组织处置 {sum(f.dispositions.values())} 名：{kinds}。"
                          if f.dispositions else "没有需要作出组织处置的党员。")),
        "problems": (f"共查摆问题 {listed} 条"
                     + (f"（{'、'.join(f'{c} {n} 条' for c, n in f.problems.items())}）" if listed else "")
                     + f"；征求意见建议 {f.opinions} 条，采纳 {f.adopted} 条。"),
        "rectification": (f"列入整改清单 {f.rectification_open + f.rectification_done} 项，已完成 "
                          f"{f.rectification_done} 项，正在整改 {f.rectification_open} 项。"),
        "next_steps": "",
    }  # fmt: skip
    sections = [
        (heading, [p for p in (texts[key], *(own.get(key) or "").split("\n")) if p.strip()])
        for key, heading in SECTIONS.items()
    ]
    return Report(title(year), addressee, sections, unit, today)
