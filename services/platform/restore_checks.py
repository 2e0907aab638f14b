"""What a backup must be before it may replace the database: this product's schema, at a revision
this program knows, with its tables. Checked on a copy (SQLite) or the dump itself (PostgreSQL),
before the live database is touched."""

from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table on the metadata)
from services.platform import db
from services.platform.errors import InvalidInput

# Every revision since 0001 has these; a backup at the newest revision has every table of the models.
CORE_TABLES = frozenset({"account", "campaign", "member", "org_unit"})
UNTOUCHED = "未恢复，当前数据库没有改动。"


@dataclass(frozen=True)
class BackupContents:
    revision: str  # the schema's alembic revision in the backup
    campaigns: int


def refuse(reason: str) -> InvalidInput:
    return InvalidInput(f"{reason}{UNTOUCHED}")


def damaged(path: Path) -> InvalidInput:
    return refuse(f"备份文件 {path} 已损坏（数据库完整性检查未通过），")


def wrong_engine(path: Path, head: bytes, engine: str) -> InvalidInput:
    """A refusal for a file of the other engine, or of neither."""
    if head.startswith(b"PGDMP") and engine == "sqlite":
        return refuse(f"{path} 是 PostgreSQL 的备份，而本系统现在用的是 SQLite，")
    if head.startswith(b"SQLite format 3\x00") and engine == "postgresql":
        return refuse(f"{path} 是 SQLite 数据库文件，而本系统现在用的是 PostgreSQL，")
    return refuse(f"{path} 不是本系统的数据库备份，")


def check_schema(path: Path, tables: set[str], revisions: list[str] | None) -> str:
    """The backup's revision, given its table names and the rows of its alembic_version (None: no such table)."""
    if revisions is None:
        raise refuse(f"{path} 不是本系统的备份（其中没有本系统的数据库结构版本），")
    script = ScriptDirectory.from_config(db.alembic_config())
    known = {s.revision for s in script.walk_revisions()}
    if len(revisions) != 1 or revisions[0] not in known:
        shown = "、".join(r[:40] for r in revisions[:3]) or "（空）"
        raise refuse(f"备份的数据库结构版本 {shown} 不是本程序认识的版本（备份可能来自更新的程序），")
    wanted = (
        {t.name for t in SQLModel.metadata.sorted_tables} if revisions[0] == script.get_current_head() else CORE_TABLES
    )
    missing = sorted(wanted - tables)
    if missing:
        raise refuse(f"备份缺少本系统的数据表：{'、'.join(missing)}，")
    return revisions[0]
