"""names that say which committee: 党委, 支部委员会 or 支部委员 (the glossary's one word, one meaning)

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, old column, new column)
_COLUMNS = [
    ("campaign", "committee_name", "party_committee_name"),
    ("campaign", "rate_committee", "rate_branch_committee"),
    ("ballot", "committee_rating", "branch_committee_rating"),
]
# (table, column, old value, new value)
_VALUES = [
    ("org_unit", "kind", "committee", "party_committee"),
    ("account", "role", "branch_committee", "committee_member"),
    ("audit_entry", "actor_role", "branch_committee", "committee_member"),
]
# JSON keys and values in the audit log's details, as '"text"'
_DETAIL_WORDS = [
    ("committee_name", "party_committee_name"),
    ("rate_committee", "rate_branch_committee"),
    ("branch_committee", "committee_member"),
]


def _rename(forward: bool) -> None:
    for table, old, new in _COLUMNS:
        was, becomes = (old, new) if forward else (new, old)
        # Both engines rename in place (SQLite since 3.25), keeping each table's options and indexes.
        op.execute(f"ALTER TABLE {table} RENAME COLUMN {was} TO {becomes}")
    for table, column, old, new in _VALUES:
        was, becomes = (old, new) if forward else (new, old)
        op.execute(f"UPDATE {table} SET {column} = '{becomes}' WHERE {column} = '{was}'")
    for old, new in _DETAIL_WORDS:
        was, becomes = (old, new) if forward else (new, old)
        op.execute(
            f"""UPDATE audit_entry SET detail = REPLACE(detail, '"{was}"', '"{becomes}"')"""
            f""" WHERE detail LIKE '%"{was}"%'"""
        )


def upgrade() -> None:
    _rename(forward=True)


def downgrade() -> None:
    _rename(forward=False)
