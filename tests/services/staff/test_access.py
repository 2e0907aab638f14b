"""The scope matrix: every role against every read and write service, in scope and out of it."""

from datetime import date

import pytest

from services import demo
from services.ballot import campaign_status, reminders, voting
from services.campaign import campaigns, members, org, roster
from services.platform.errors import NotPermitted
from services.staff import accounts, audit
from services.staff.access import Actor
from tests.factories import ORG, csv_bytes, fixture_bytes, make_account, make_campaign

pytestmark = pytest.mark.usefixtures("database")

TARGET = "机关党总支/党政办公室党支部"
OTHER = "机电工程学院党总支/教工第一党支部"
DIRECT = "图书馆直属党支部"
ACTORS = ("organizer", "general_branch", "branch", "committee_member", "other_branch")


@pytest.fixture
def world():
    cid = demo.load_demo(actor=ORG).campaign_id
    actors = {
        "organizer": make_account("organizer", username="org2"),
        "general_branch": make_account("general_branch_secretary", "机关党总支"),
        "branch": make_account("branch_secretary", TARGET),
        "committee_member": make_account("committee_member", TARGET),
        "other_branch": make_account("branch_secretary", OTHER),
    }
    committee_member_id = actors["committee_member"].account_id
    return {"cid": cid, "actors": actors, "committee_member_id": committee_member_id}


def _counter():
    _counter.n = getattr(_counter, "n", 0) + 1
    return _counter.n


OPERATIONS = {
    # reads
    "list members of the target branch": (
        lambda a, w: members.list_members(actor=a, campaign_id=w["cid"], branch_path=TARGET),
        {"organizer", "general_branch", "branch", "committee_member"},
    ),
    "list members of a directly affiliated branch": (
        lambda a, w: members.list_members(actor=a, campaign_id=w["cid"], branch_path=DIRECT),
        {"organizer"},
    ),
    "list members of another general branch's branch": (
        lambda a, w: members.list_members(actor=a, campaign_id=w["cid"], branch_path=OTHER),
        {"organizer", "other_branch"},
    ),
    "read the audit log": (lambda a, w: audit.list_entries(actor=a), {"organizer"}),
    "read the target branch's voting state": (
        lambda a, w: voting.state(actor=a, campaign_id=w["cid"], branch_path=TARGET),
        {"organizer", "general_branch", "branch", "committee_member"},
    ),
    "see who has not voted in the target branch": (
        lambda a, w: reminders.not_voted(actor=a, campaign_id=w["cid"], branch_path=TARGET),
        {"organizer", "general_branch", "branch", "committee_member"},
    ),
    "open voting in the target branch": (
        lambda a, w: voting.open_voting(actor=a, campaign_id=w["cid"], branch_path=TARGET),
        {"organizer", "branch", "committee_member"},
    ),
    "open voting in another general branch's branch": (
        lambda a, w: voting.open_voting(actor=a, campaign_id=w["cid"], branch_path=OTHER),
        {"organizer", "other_branch"},
    ),
    # writes
    "create a campaign": (
        lambda a, w: campaigns.create_campaign(actor=a, title="新活动", year=2021, deadline=date(2022, 3, 20)),
        {"organizer"},
    ),
    "close the campaign": (
        lambda a, w: campaign_status.set_status(actor=a, campaign_id=w["cid"], status="closed"),
        {"organizer"},
    ),
    "import a roster": (
        lambda a, w: roster.import_roster_file(
            actor=a, campaign_id=w["cid"], filename="r.csv", data=fixture_bytes("roster_gbk.csv")
        ),
        {"organizer"},
    ),
    "create a committee member of the target branch": (
        lambda a, w: accounts.create_account(
            actor=a, username=f"wy{_counter()}", display_name="支委", role="committee_member", scope_path=TARGET
        ),
        {"organizer", "branch"},
    ),
    "create an organizer": (
        lambda a, w: accounts.create_account(
            actor=a, username=f"zz{_counter()}", display_name="组织部", role="organizer"
        ),
        {"organizer"},
    ),
    "reset the committee member's password": (
        lambda a, w: accounts.reset_password(actor=a, account_id=w["committee_member_id"]),
        {"organizer", "branch"},
    ),
    "disable the committee member": (
        lambda a, w: accounts.set_active(actor=a, account_id=w["committee_member_id"], active=False),
        {"organizer", "branch"},
    ),
    "change an account's scope": (
        lambda a, w: accounts.assign_scope(
            actor=a, account_id=w["committee_member_id"], role="committee_member", scope_path=OTHER
        ),
        {"organizer"},
    ),
    "create secretary accounts in bulk": (
        lambda a, w: accounts.bulk_create_secretaries(actor=a, campaign_id=w["cid"]),
        {"organizer"},
    ),
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_scope_matrix(world, operation, who):
    call, allowed = OPERATIONS[operation]
    actor = world["actors"][who]
    if who in allowed:
        call(actor, world)
    else:
        with pytest.raises(NotPermitted, match="没有权限"):
            call(actor, world)


@pytest.mark.parametrize(
    ("who", "branches", "members_seen"),
    [
        ("organizer", 12, 300),
        ("general_branch", 3, 24 + 20 + 26),
        ("branch", 1, 24),
        ("committee_member", 1, 24),
        ("other_branch", 1, 27),
    ],
)
def test_reads_return_only_what_is_in_scope(world, who, branches, members_seen):
    actor = world["actors"][who]
    [campaign] = campaigns.list_campaigns(actor=actor)
    assert (campaign.branches, campaign.members) == (branches, members_seen)
    assert len(org.branch_rows(actor=actor, campaign_id=world["cid"])) == branches
    assert len(members.list_members(actor=actor, campaign_id=world["cid"])) == members_seen


def test_permission_error_names_the_unit_and_the_scope(world):
    with pytest.raises(NotPermitted) as excinfo:
        members.list_members(actor=world["actors"]["branch"], campaign_id=world["cid"], branch_path=OTHER)
    assert str(excinfo.value) == (
        "没有权限：“机电工程学院党总支 / 教工第一党支部”不在您的管理范围（机关党总支 / 党政办公室党支部）内"
    )


def test_a_general_branch_scope_does_not_leak_to_a_similarly_named_one(world):
    cid = make_campaign(title="另一活动", year=2021, deadline=date(2022, 3, 20))
    rows = [
        ["姓名", "党总支", "党支部", "党员类别"],
        ["甲", "机关党总支", "一支部", "正式党员"],
        ["乙", "机关党总支二", "二支部", "正式党员"],
        ["丙", "机关党总支_", "三支部", "正式党员"],
    ]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    actor = world["actors"]["general_branch"]
    assert [r.name for r in org.branch_rows(actor=actor, campaign_id=cid)] == ["一支部"]
    assert [m.name for m in members.list_members(actor=actor, campaign_id=cid)] == ["甲"]


def test_only_an_organizer_loads_the_demo_unit():
    secretary = Actor(username="s", display_name="s", role="branch_secretary", scope_path="x")
    with pytest.raises(NotPermitted):
        demo.load_demo(actor=secretary)
    demo.load_demo(actor=ORG)
