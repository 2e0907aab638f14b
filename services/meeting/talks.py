"""Talks (谈心谈话, step 2): how many of each kind, with a note; and who needs a visit or a call."""

from dataclasses import dataclass

from sqlmodel import select

from models import TalkCount
from models.audit import AuditAction
from models.meeting import TALK_LABELS, TEXT_MAX, TalkKind
from services.campaign.members import branch_members
from services.meeting.branch_records import branch_to_read, branch_to_write
from services.platform.batch import table_rows
from services.platform.db import session_scope
from services.platform.errors import InvalidInput
from services.platform.text_input import checked
from services.staff import audit
from services.staff.access import Actor

MAX_TALKS = 10_000


@dataclass(frozen=True)
class Talks:
    counts: dict[str, tuple[int, str | None]]  # TalkKind value -> (count, note)
    to_visit: list[tuple[str, str]]  # (name, why): elderly or ill, away

    @property
    def total(self) -> int:
        return sum(count for count, _ in self.counts.values())


def talks(*, actor: Actor, campaign_id: int, branch_path: str) -> Talks:
    with session_scope() as session:
        branch = branch_to_read(session, actor, campaign_id, branch_path)
        saved = {t.kind: (t.count, t.note) for t in table_rows(session, TalkCount, campaign_id, branch.id)}
        members = branch_members(session, branch.id)
        to_visit = [
            (m.name, "、".join(w for w, flag in (("年老体弱", m.is_elderly_ill), ("外出流动", m.is_away)) if flag))
            for m in members
            if m.is_elderly_ill or m.is_away
        ]
        return Talks({k.value: saved.get(k.value, (0, None)) for k in TalkKind}, to_visit)


def save_talks(*, actor: Actor, campaign_id: int, branch_path: str, counts: dict[str, tuple[int, str | None]]) -> Talks:
    cleaned = {}
    for kind, (count, note) in counts.items():
        if kind not in {k.value for k in TalkKind}:
            raise InvalidInput(f"未知的谈话类型“{kind}”")
        label = TALK_LABELS[TalkKind(kind)]
        if not isinstance(count, int) or not 0 <= count <= MAX_TALKS:
            raise InvalidInput(f"“{label}”的次数应为 0 到 {MAX_TALKS} 之间的整数")
        cleaned[kind] = (count, checked(note, f"“{label}”的说明", limit=TEXT_MAX, multiline=True))
    with session_scope() as session:
        branch = branch_to_write(session, actor, campaign_id, branch_path)
        saved = {
            t.kind: t
            for t in session.exec(
                select(TalkCount).where(TalkCount.campaign_id == campaign_id, TalkCount.branch_id == branch.id)
            )
        }
        for kind, (count, note) in cleaned.items():
            row = saved.get(kind) or TalkCount(campaign_id=campaign_id, branch_id=branch.id, kind=kind)
            row.count, row.note = count, note
            session.add(row)
        audit.record(
            session, actor, AuditAction.talks_save, campaign_id=campaign_id, target=branch_path,
            detail={k: c for k, (c, _) in cleaned.items()},
        )  # fmt: skip
    return talks(actor=actor, campaign_id=campaign_id, branch_path=branch_path)
