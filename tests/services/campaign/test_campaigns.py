"""Campaign setup and its lifecycle."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from models import Member
from services import demo
from services.ballot import campaign_status
from services.campaign import campaigns
from services.platform import db
from services.platform.errors import InvalidInput, InvalidTransition, NotFound
from tests.factories import ORG, import_fixture, make_campaign

pytestmark = pytest.mark.usefixtures("database")


def test_new_campaign_is_a_draft_with_a_one_third_cap():
    cid = make_campaign()
    c = campaigns.get_campaign(actor=ORG, campaign_id=cid)
    assert (c.title, c.year, c.deadline, c.status, c.excellent_cap) == (
        "2020年度基层党组织组织生活会和民主评议党员",
        2020,
        date(2021, 3, 20),
        "draft",
        (1, 3),
    )
    assert c.status_label == "草稿"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "活动名称不能为空"),
        ({"year": 20}, "年度“20”不对，应为四位年份，如 2020"),
        ({"deadline": date(2019, 12, 31)}, "截止日期 2019-12-31 早于评议年度 2020 年"),
        ({"party_committee_name": ""}, "党委名称不能为空"),
        ({"excellent_cap": (0, 3)}, "优秀比例应大于 0 且不超过 100%"),
    ],
)
def test_create_campaign_refuses_bad_input(overrides, message):
    with pytest.raises(InvalidInput) as excinfo:
        make_campaign(**overrides)
    assert str(excinfo.value) == message
    assert campaigns.list_campaigns(actor=ORG) == []


# (path of statuses to reach the start, target, allowed)
TRANSITION_CASES = [
    ([], "open", True),
    ([], "closed", False),
    ([], "archived", False),
    (["open"], "closed", True),
    (["open"], "archived", False),
    (["open", "closed"], "open", True),
    (["open", "closed"], "archived", True),
    (["open", "closed", "archived"], "open", False),
    (["open", "closed", "archived"], "closed", False),
]


@pytest.mark.parametrize(("path", "target", "allowed"), TRANSITION_CASES)
def test_status_transitions(path, target, allowed):
    cid = make_campaign()
    for status in path:
        campaign_status.set_status(actor=ORG, campaign_id=cid, status=status)
    if allowed:
        assert campaign_status.set_status(actor=ORG, campaign_id=cid, status=target).status == target
    else:
        with pytest.raises(InvalidTransition):
            campaign_status.set_status(actor=ORG, campaign_id=cid, status=target)
        assert campaigns.get_campaign(actor=ORG, campaign_id=cid).status == (path[-1] if path else "draft")


def test_archived_campaign_says_why_it_cannot_reopen():
    cid = make_campaign()
    for status in ["open", "closed", "archived"]:
        campaign_status.set_status(actor=ORG, campaign_id=cid, status=status)
    with pytest.raises(InvalidTransition) as excinfo:
        campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    assert str(excinfo.value) == "不能从“已归档”变为“进行中”：已归档的活动不能再更改"


def test_unknown_campaign_and_status_are_reported():
    with pytest.raises(NotFound, match="找不到编号为 99 的评议活动"):
        campaign_status.set_status(actor=ORG, campaign_id=99, status="open")
    cid = make_campaign()
    with pytest.raises(InvalidInput, match="未知的状态“finished”"):
        campaign_status.set_status(actor=ORG, campaign_id=cid, status="finished")


def test_list_campaigns_counts_branches_and_members():
    first = make_campaign()
    import_fixture(first, "roster_title_rows.xlsx")
    second = make_campaign(title="空活动", year=2021, deadline=date(2022, 3, 20))
    listed = {c.id: c for c in campaigns.list_campaigns(actor=ORG)}
    assert [c.id for c in campaigns.list_campaigns(actor=ORG)] == [second, first]  # newest year first
    f = listed[first]
    assert (f.branches, f.members, f.full, f.probationary) == (3, 6, 4, 2)
    s = listed[second]
    assert (s.branches, s.members, s.full, s.probationary) == (0, 0, 0, 0)


def test_demo_unit_is_realistic_and_loads_once():
    result = demo.load_demo(actor=ORG)
    c = campaigns.get_campaign(actor=ORG, campaign_id=result.campaign_id)
    assert c.status == "open"
    assert c.branches == 12
    assert 280 <= c.members <= 320
    assert 0.05 <= c.probationary / c.members <= 0.15
    with pytest.raises(InvalidInput, match="演示数据已经加载过了"):
        demo.load_demo(actor=ORG)


def test_a_campaign_is_corrected_freely_until_a_branch_opens_voting_then_only_its_deadline():
    from tests.factories import make_voting_branch

    cid = make_campaign()
    fields = {
        "title": "2020年度民主评议党员（更正）",
        "year": 2020,
        "deadline": date(2021, 3, 31),
        "party_committee_name": "江海学院党委",
        "excellent_cap": (1, 4),
        "rate_branch_committee": True,
        "collect_opinions": True,
        "instructions": None,
    }
    c = campaigns.update_campaign(actor=ORG, campaign_id=cid, **fields)
    assert (c.title, c.deadline, c.excellent_cap) == ("2020年度民主评议党员（更正）", date(2021, 3, 31), (1, 4))

    voting_cid, _, _ = make_voting_branch()
    current = campaigns.get_campaign(actor=ORG, campaign_id=voting_cid)
    same = {
        "title": current.title,
        "year": current.year,
        "deadline": current.deadline,
        "party_committee_name": current.party_committee_name,
        "excellent_cap": current.excellent_cap,
        "rate_branch_committee": False,
        "collect_opinions": False,
        "instructions": None,
    }
    with pytest.raises(InvalidTransition, match="现在只能修改截止日期"):
        campaigns.update_campaign(actor=ORG, campaign_id=voting_cid, **(same | {"excellent_cap": (1, 2)}))
    later = current.deadline + timedelta(days=7)
    assert (
        campaigns.update_campaign(actor=ORG, campaign_id=voting_cid, **(same | {"deadline": later})).deadline == later
    )


def test_only_drafts_can_be_deleted_and_they_go_with_their_roster():
    from tests.factories import import_fixture

    cid = make_campaign()
    import_fixture(cid, "roster_title_rows.xlsx")
    campaigns.delete_campaign(actor=ORG, campaign_id=cid)
    assert campaigns.list_campaigns(actor=ORG) == []
    opened = make_campaign()
    campaign_status.set_status(actor=ORG, campaign_id=opened, status="open")
    with pytest.raises(InvalidTransition, match="只能删除草稿状态的活动"):
        campaigns.delete_campaign(actor=ORG, campaign_id=opened)


def test_the_same_campaign_twice_is_refused_and_the_year_must_agree_with_the_title():
    make_campaign()
    with pytest.raises(InvalidTransition, match="已有同名的 2020 年度活动"):
        make_campaign()  # a double click
    with pytest.raises(InvalidInput, match="活动名称写的是 2021 年度，评议年度却是 2020"):
        make_campaign(title="2021年度民主评议党员", year=2020)


def test_secretaries_never_see_draft_campaigns():
    from tests.factories import make_account, make_voting_branch

    opened, _, _ = make_voting_branch()
    draft = make_campaign()
    secretary = make_account("general_branch_secretary", "机关党总支")
    assert [c.id for c in campaigns.list_campaigns(actor=secretary)] == [opened]
    with pytest.raises(NotFound):
        campaigns.get_campaign(actor=secretary, campaign_id=draft)


def test_a_demo_that_fails_at_its_last_step_leaves_nothing_behind():
    """The demo is one transaction: a failure after the roster went in takes the campaign back out."""
    engine = db.get_engine()
    refuse = {
        "sqlite": [
            "CREATE TRIGGER refuse_demo BEFORE INSERT ON audit_entry WHEN NEW.action = 'campaign.demo' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        ],
        "postgresql": [
            "CREATE FUNCTION refuse_demo() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN IF NEW.action = 'campaign.demo' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER refuse_demo BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION refuse_demo()",
        ],
    }[engine.dialect.name]
    with engine.begin() as conn:
        for statement in refuse:
            conn.execute(text(statement))
    try:
        with pytest.raises(DBAPIError, match="refused"):
            demo.load_demo(actor=ORG)
        assert campaigns.list_campaigns(actor=ORG) == []
        with db.session_scope() as session:
            assert session.exec(select(func.count()).select_from(Member)).one() == 0
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER refuse_demo" + (" ON audit_entry" if len(refuse) == 2 else "")))
            if len(refuse) == 2:
                conn.execute(text("DROP FUNCTION refuse_demo()"))
    assert demo.load_demo(actor=ORG).report.members > 0


def test_the_demo_is_refused_beside_real_campaigns_unless_forced_and_can_always_be_deleted():
    from services.ballot import voting

    make_campaign()
    with pytest.raises(InvalidInput, match="数据库里已有评议活动，不宜再加载演示数据"):
        demo.load_demo(actor=ORG)
    forced = demo.load_demo(actor=ORG, force=True).campaign_id
    shown = campaigns.get_campaign(actor=ORG, campaign_id=forced)
    assert shown.demo and shown.title.endswith("（演示）") and shown.status == "open"
    voting.open_voting(actor=ORG, campaign_id=forced, branch_path="机关党总支/党政办公室党支部")
    campaigns.delete_campaign(actor=ORG, campaign_id=forced)  # open, voting begun: still goes
    assert [c.demo for c in campaigns.list_campaigns(actor=ORG)] == [False]
