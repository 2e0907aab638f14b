"""The meeting record (组织生活会召开情况, step 4): when, where, who presided, who came from the upper
organization, who of the branch was absent and why, what was held, and free notes."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete
from sqlmodel import select

from models import MeetingAbsence, MeetingRecord, Member
from models.audit import AuditAction
from models.meeting import NOTE_MAX, REPORT_MAX
from services.ballot.voting_lookup import voting_of
from services.campaign.members import branch_members
from services.meeting.branch_records import branch_to_read, branch_to_write, meeting_record_of
from services.platform.clock import local, now
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor


@dataclass(frozen=True)
class MeetingFields:
    held_on: date
    place: str
    presided_by: str
    upper_attendees: str | None = None
    report_given: bool = False
    criticism_held: bool = False
    evaluation_held: bool = False
    notes: str | None = None
    secretary_report: str | None = None  # 书记述职, as typed
    last_year_rectification: str | None = None  # 上年整改落实情况
    counted_by: str | None = None  # 计票人, named on the filed 民主测评统计表
    scrutinized_by: str | None = None  # 监票人


@dataclass(frozen=True)
class MeetingView:
    record: MeetingFields | None
    absences: dict[int, str]  # member id -> reason
    members: list[tuple[int, str, bool]]  # (id, name, leading cadre) of everyone expected, in roster order
    voting_closed: bool  # the democratic evaluation, as the vote shows it

    @property
    def present(self) -> list[str]:
        return [name for m, name, _ in self.members if m not in self.absences]

    @property
    def leading_cadres_present(self) -> list[str]:
        return [name for m, name, cadre in self.members if cadre and m not in self.absences]

    @property
    def in_future(self) -> bool:
        return bool(self.record and self.record.held_on > local(now()).date())


def meeting(*, actor: Actor, campaign_id: int, branch_path: str) -> MeetingView:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        found = meeting_record_of(session, campaign_id, branch.id)
        members = [(m.id, m.name, m.is_leading_cadre) for m in branch_members(session, branch.id)]
        absences = {}
        if found:
            absences = dict(
                session.exec(
                    select(MeetingAbsence.member_id, MeetingAbsence.reason).where(MeetingAbsence.meeting_id == found.id)
                ).all()
            )
        voting = voting_of(session, campaign_id, branch.id)
        record = None
        if found:
            record = MeetingFields(**{k: getattr(found, k) for k in MeetingFields.__dataclass_fields__})
        return MeetingView(record, absences, members, voting is not None and voting.closed_at is not None)


def save_meeting(
    *, actor: Actor, campaign_id: int, branch_path: str, fields: MeetingFields, absences: dict[int, str]
) -> MeetingView:
    """The record and its absences together: all of it or, with any problem, none of it."""
    if not isinstance(fields.held_on, date):
        raise InvalidInput("请填写组织生活会的召开日期")
    values = {
        "held_on": fields.held_on,
        "place": checked(fields.place, "地点", limit=100, required=True),
        "presided_by": checked(fields.presided_by, "主持人", limit=60, required=True),
        "upper_attendees": checked(fields.upper_attendees, "上级党组织参会人员", limit=200),
        "report_given": bool(fields.report_given),
        "criticism_held": bool(fields.criticism_held),
        "evaluation_held": bool(fields.evaluation_held),
        "notes": checked(fields.notes, "备注", limit=NOTE_MAX, multiline=True),
        "secretary_report": checked(fields.secretary_report, "书记述职", limit=REPORT_MAX, multiline=True),
        "last_year_rectification": checked(
            fields.last_year_rectification, "上年整改落实情况", limit=NOTE_MAX, multiline=True
        ),
        "counted_by": checked(fields.counted_by, "计票人", limit=60),
        "scrutinized_by": checked(fields.scrutinized_by, "监票人", limit=60),
    }
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        names = dict(session.exec(select(Member.id, Member.name).where(Member.branch_id == branch.id)).all())
        reasons = {}
        for member_id, reason in absences.items():
            if member_id not in names:
                raise InvalidInput(f"编号 {member_id} 的党员不在本支部")
            reasons[member_id] = checked(reason, f"{names[member_id]}的缺席原因", limit=100, required=True)
        record = session.exec(
            select(MeetingRecord).where(MeetingRecord.campaign_id == campaign_id, MeetingRecord.branch_id == branch.id)
        ).first() or MeetingRecord(campaign_id=campaign_id, branch_id=branch.id, **values)
        for key, value in values.items():
            setattr(record, key, value)
        session.add(record)
        session.flush()
        session.exec(delete(MeetingAbsence).where(MeetingAbsence.meeting_id == record.id))
        for member_id, reason in reasons.items():
            session.add(MeetingAbsence(meeting_id=record.id, member_id=member_id, reason=reason))
        audit.record(
            session, actor, AuditAction.meeting_save, campaign_id=campaign_id, target=branch_path,
            detail={"held_on": values["held_on"].isoformat(), "absent": len(reasons)},
        )  # fmt: skip
    return meeting(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
