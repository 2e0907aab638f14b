"""Schema changes go through Alembic: an empty database and one with data both reach head."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from services.campaign import campaigns, members
from services.platform import db
from services.staff import accounts, audit
from tests.factories import ORG


def _head() -> str:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def _current(url: str) -> str | None:
    with db.get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_creates_every_table_in_an_empty_database(empty_database_url):
    db.upgrade(url=empty_database_url)
    tables = set(inspect(db.get_engine(empty_database_url)).get_table_names())
    assert {"campaign", "org_unit", "member", "account", "alembic_version"} <= tables
    assert _current(empty_database_url) == _head()


def test_migrations_match_the_models(empty_database_url):
    db.upgrade(url=empty_database_url)
    with db.get_engine(empty_database_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


# Rows as the first revision's schema holds them; written in plain SQL so this stays true
# however the models change later.
_FIRST_REVISION_DATA = [
    "INSERT INTO campaign (id, title, year, deadline, committee_name, excellent_cap_num, excellent_cap_den,"
    " status, created_at) VALUES (1, '2020年度民主评议党员', 2020, '2021-03-20', '江海学院党委', 1, 3, 'open',"
    " '2021-01-05 08:00:00')",
    "INSERT INTO org_unit (id, campaign_id, parent_id, kind, name, path, sort_order)"
    " VALUES (1, 1, NULL, 'committee', '江海学院党委', '', 0)",
    "INSERT INTO org_unit (id, campaign_id, parent_id, kind, name, path, sort_order)"
    " VALUES (2, 1, 1, 'branch', '教工党支部', '教工党支部', 1)",
    "INSERT INTO member (id, campaign_id, branch_id, roster_order, name, category, is_leading_cadre, is_away,"
    " is_elderly_ill) VALUES (1, 1, 2, 1, '王芳', 'full', false, false, false)",
    "INSERT INTO member (id, campaign_id, branch_id, roster_order, name, category, is_leading_cadre, is_away,"
    " is_elderly_ill) VALUES (2, 1, 2, 2, '迪丽热巴·迪力木拉提', 'probationary', false, false, true)",
    "INSERT INTO account (id, username, display_name, password_hash, role, scope_path, is_active, failed_logins,"
    " created_at) VALUES (1, 'zb1', '王书记', '$2b$04$abcdefghijklmnopqrstuu5Vw0lJ0wq1T0l4GvOy7TQ0vGq9xUe5K',"
    " 'branch_secretary', '教工党支部', true, 0, '2021-01-05 08:00:00')",
]


def _first_revision_with_data(url: str) -> None:
    """The database at the first revision, holding _FIRST_REVISION_DATA."""
    script = ScriptDirectory.from_config(db.alembic_config())
    first = next(r.revision for r in script.walk_revisions() if r.down_revision is None)
    db.upgrade(first, url=url)
    with db.get_engine(url).begin() as conn:
        for statement in _FIRST_REVISION_DATA:
            conn.exec_driver_sql(statement)


def test_a_database_with_data_upgrades_to_head_and_keeps_it(empty_database_url):
    _first_revision_with_data(empty_database_url)

    db.upgrade("head", url=empty_database_url)

    assert _current(empty_database_url) == _head()
    c = campaigns.get_campaign(actor=ORG, campaign_id=1)
    assert (c.title, c.status, c.branches, c.members, c.full, c.probationary) == (
        "2020年度民主评议党员",
        "open",
        1,
        2,
        1,
        1,
    )
    assert [m.name for m in members.list_members(actor=ORG, campaign_id=1)] == ["王芳", "迪丽热巴·迪力木拉提"]
    [account] = accounts.list_accounts(actor=ORG)
    assert (account.username, account.scope_path, account.must_change_password) == ("zb1", "教工党支部", False)


def test_the_renamed_words_carry_their_data(empty_database_url):
    """0008 renames 'committee' to the glossary's words: the data under the old names comes along."""
    db.upgrade("0007", url=empty_database_url)
    with db.get_engine(empty_database_url).begin() as conn:
        for statement in _FIRST_REVISION_DATA:
            conn.exec_driver_sql(
                statement.replace("'zb1', '王书记'", "'zw1', '李委员'").replace(
                    "'branch_secretary'", "'branch_committee'"
                )
            )
        conn.exec_driver_sql("UPDATE campaign SET rate_committee = true")
        conn.exec_driver_sql(
            "INSERT INTO audit_entry (at, actor, actor_role, action, campaign_id, target, detail) VALUES"
            " ('2021-01-05 08:00:00', 'admin', 'organizer', 'campaign.update', 1, 'x',"
            """ '{"fields": ["committee_name", "rate_committee"]}')"""
        )
    db.upgrade("head", url=empty_database_url)
    c = campaigns.get_campaign(actor=ORG, campaign_id=1)
    assert (c.party_committee_name, c.rate_branch_committee) == ("江海学院党委", True)
    [account] = accounts.list_accounts(actor=ORG)
    assert (account.username, account.role) == ("zw1", "committee_member")
    with db.get_engine(empty_database_url).connect() as conn:
        assert conn.exec_driver_sql("SELECT kind FROM org_unit WHERE path = ''").scalar() == "party_committee"
    [entry] = audit.list_entries(actor=ORG, campaign_id=1)
    assert "党委名称" in entry.detail and "评价支部委员会" in entry.detail


# A branch graded under 0015, when a campaign could offer its own 组织处置 options.
_GRADED_BEFORE_0016 = [
    "INSERT INTO campaign (id, title, year, deadline, party_committee_name, excellent_cap_num, excellent_cap_den,"
    " status, created_at, dispositions) VALUES (1, '2025年度民主评议党员', 2025, '2026-03-20', '江海学院党委', 1, 3,"
    " 'closed', '2025-11-01 08:00:00', '限期改正\n其他\n批评教育')",
    "INSERT INTO org_unit (id, campaign_id, parent_id, kind, name, path, sort_order)"
    " VALUES (1, 1, NULL, 'party_committee', '江海学院党委', '', 0)",
    "INSERT INTO org_unit (id, campaign_id, parent_id, kind, name, path, sort_order)"
    " VALUES (2, 1, 1, 'branch', '教工党支部', '教工党支部', 1)",
    *(
        "INSERT INTO member (id, campaign_id, branch_id, roster_order, name, category, is_leading_cadre, is_away,"
        f" is_elderly_ill) VALUES ({i}, 1, 2, {i}, '{name}', 'full', false, false, false)"
        for i, name in ((1, "王芳"), (2, "杨帆"), (3, "李明"))
    ),
    "INSERT INTO branch_grading (id, campaign_id, branch_id, state, submitted_by, updated_at)"
    " VALUES (1, 1, 2, 'approved', 'zb1', '2025-12-01 08:00:00')",
    "INSERT INTO final_grade (id, grading_id, member_id, grade, disposition, disposition_note) VALUES"
    " (1, 1, 1, 'unqualified', '其他', '支部谈话'), (2, 1, 2, 'unqualified', '批评教育', NULL),"
    " (3, 1, 3, 'unqualified', '限期改正', '三个月')",
]


def test_a_disposition_outside_the_three_kinds_becomes_to_be_decided_again_its_words_kept(empty_database_url):
    """0016: 其他 and a campaign's own options become 待重新确定, the old words at the head of the note; the three
    kinds stay as they were; the campaign's list of options is gone."""
    db.upgrade("0015", url=empty_database_url)
    with db.get_engine(empty_database_url).begin() as conn:
        for statement in _GRADED_BEFORE_0016:
            conn.exec_driver_sql(statement)
    db.upgrade("head", url=empty_database_url)
    with db.get_engine(empty_database_url).connect() as conn:
        rows = conn.exec_driver_sql("SELECT disposition, disposition_note FROM final_grade ORDER BY id").all()
    assert [tuple(r) for r in rows] == [
        ("待重新确定", "其他：支部谈话"),
        ("待重新确定", "批评教育"),
        ("限期改正", "三个月"),
    ]
    assert "dispositions" not in {c["name"] for c in inspect(db.get_engine(empty_database_url)).get_columns("campaign")}


def test_two_public_addresses_of_one_branch_become_the_newest_one(empty_database_url):
    """0015: a server key replaced once left two rows for one branch's opinions link; the newest stays."""
    _first_revision_with_data(empty_database_url)
    db.upgrade("0014", url=empty_database_url)
    with db.get_engine(empty_database_url).begin() as conn:
        for row_id, hashed in ((1, "a" * 64), (2, "b" * 64)):
            conn.exec_driver_sql(
                "INSERT INTO branch_link (id, campaign_id, branch_id, purpose, token_hash)"
                f" VALUES ({row_id}, 1, 2, 'opinions', '{hashed}')"
            )
    db.upgrade("head", url=empty_database_url)
    with db.get_engine(empty_database_url).connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, token_hash, generation FROM branch_link").all()
    assert [tuple(r) for r in rows] == [(2, "b" * 64, 0)]


def test_a_listing_of_photos_reads_no_photo(empty_database_url):
    """0021: the photo's bytes come last in their row, its thumbnail before it, with the rows kept. On SQLite a
    column stored after a large value is reached by reading through that value: a listing read every photo."""
    _first_revision_with_data(empty_database_url)
    db.upgrade("0020", url=empty_database_url)
    photo, thumb = bytes(range(256)) * 4000, b"small"
    with db.get_engine(empty_database_url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO attachment (id, campaign_id, branch_id, kind, filename, content_type, size, data,"
                " thumbnail, uploaded_at) VALUES (1, 1, 2, 'photo', '会场.jpg', 'image/jpeg', :size, :photo, :thumb,"
                " '2021-01-06 09:00:00')"
            ),
            {"size": len(photo), "photo": photo, "thumb": thumb},
        )
        conn.execute(
            text(
                "INSERT INTO self_review (id, member_id, text, image, image_type, thumbnail, by_secretary, updated_at)"
                " VALUES (1, 1, NULL, :photo, 'image/png', :thumb, false, '2021-01-06 09:00:00')"
            ),
            {"photo": photo, "thumb": thumb},
        )
    db.upgrade("head", url=empty_database_url)
    engine = db.get_engine(empty_database_url)
    if engine.dialect.name == "sqlite":
        columns = inspect(engine)
        assert [c["name"] for c in columns.get_columns("attachment")][-3:] == ["uploaded_at", "thumbnail", "data"]
        assert [c["name"] for c in columns.get_columns("self_review")][-3:] == ["updated_at", "thumbnail", "image"]
    with engine.connect() as conn:
        kept = conn.exec_driver_sql("SELECT filename, data, thumbnail FROM attachment").all()
        written = conn.exec_driver_sql("SELECT image, thumbnail, image_type FROM self_review").all()
    assert [tuple(r) for r in kept] == [("会场.jpg", photo, thumb)]
    assert [tuple(r) for r in written] == [(photo, thumb, "image/png")]
