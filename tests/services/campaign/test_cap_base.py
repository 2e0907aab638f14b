"""The cap's base, a campaign setting (参评正式党员 by default, or 参评党员总数): one rule, used and printed
wherever the cap is — the ballot, the paper form, the suggestion, the grades' checks, the results and their sheets."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from models import Campaign, Member
from services.ballot import ballot_form, casting, distribution, voting
from services.campaign import campaigns
from services.campaign.cap import excellent_cap
from services.filing import summary
from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry, GradesRejected
from services.grading.results_sheet import results_workbook
from services.platform.errors import InvalidInput, InvalidTransition
from tests.factories import ORG, all_qualified, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def _member(category: str = "full", marked_at: datetime | None = None) -> Member:
    return Member(
        campaign_id=1, branch_id=1, roster_order=0, name="x", category=category,
        not_taking_part="abroad" if marked_at else None, not_taking_part_at=marked_at,
    )  # fmt: skip


def test_the_rule_full_members_or_everyone_taking_part_rounded_down():
    full, everyone = Campaign(cap_base="full"), Campaign(cap_base="all")
    for c in (full, everyone):
        c.excellent_cap_num, c.excellent_cap_den = 1, 3
    opened = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    branch = [_member() for _ in range(8)] + [_member("probationary")]
    branch += [_member(marked_at=opened - timedelta(days=1)), _member(marked_at=opened + timedelta(hours=1))]
    assert excellent_cap(full, branch).basis == "参评正式党员 8 人的三分之一"  # the marked ones left out
    assert (excellent_cap(full, branch).limit, excellent_cap(everyone, branch).limit) == (2, 3)
    assert (
        excellent_cap(everyone, branch).rule == "“优秀”名额：参评党员总数（含预备党员） 9 人的三分之一，向下取整为 3 人"
    )
    # the ballot's cap, as its voting opened: one marked later still counts there
    assert excellent_cap(full, branch, as_of=opened).base == 9
    assert excellent_cap(full, branch, as_of=opened.replace(tzinfo=None)).base == 9  # SQLite's naive UTC


def test_the_base_is_chosen_when_the_campaign_is_set_up_and_fixed_once_voting_opened():
    assert campaigns.get_campaign(actor=ORG, campaign_id=make_campaign()).cap_base == "full"
    with pytest.raises(InvalidInput, match="“优秀”名额的基数只能是：参评正式党员、参评党员总数（含预备党员）"):
        make_campaign(year=2019, cap_base="everyone")
    cid, _, _ = make_voting_branch(full=8)
    current = campaigns.get_campaign(actor=ORG, campaign_id=cid)
    same = {
        "title": current.title, "year": current.year, "deadline": current.deadline,
        "party_committee_name": current.party_committee_name, "excellent_cap": current.excellent_cap,
        "rate_branch_committee": False, "collect_opinions": False, "instructions": None,
    }  # fmt: skip
    with pytest.raises(InvalidTransition, match="现在只能修改截止日期"):
        campaigns.update_campaign(actor=ORG, campaign_id=cid, **same, cap_base="all")
    later = current.deadline + timedelta(days=3)  # leaving the base out keeps it
    assert campaigns.update_campaign(actor=ORG, campaign_id=cid, **(same | {"deadline": later})).cap_base == "full"


def test_everyone_as_the_base_is_printed_and_applied_on_the_ballot_the_paper_form_and_in_grading():
    # 8 full members and 1 probationary: 2 by full members, 3 by everyone
    cid, path, links = make_voting_branch(full=8, cap_base="all")
    form = casting.open_ballot(links[0].token)
    assert (form.cap, form.cap_rule) == (3, "“优秀”名额：参评党员总数（含预备党员） 9 人的三分之一，向下取整为 3 人")
    three = {name: "excellent" for _, name in form.rated[:3]}
    assert not ballot_form.check(form, all_qualified(links[0].token, **three))
    four = {name: "excellent" for _, name in form.rated[:4]}
    assert ballot_form.check(form, all_qualified(links[0].token, **four))[0].message == (
        "评为优秀的不超过 3 人（参评党员总数（含预备党员） 9 人的三分之一），您选了 4 人"
    )
    paper = distribution.paper_form(
        campaign_title="t", branch_name="第一党支部", rated=[n for _, n in form.rated], cap=form.cap,
        instructions=form.instructions, cap_rule=form.cap_rule,
    )  # fmt: skip
    rows = list(load_workbook(io.BytesIO(paper)).active.iter_rows(values_only=True))
    assert rows[2][0] == f"党支部：第一党支部　　测评正式党员 8 人；{form.cap_rule}"
    for link in links:
        casting.cast_ballot(link.token, all_qualified(link.token, **three))
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    assert found.cap == 3 and [r.suggestion.grade for r in found.rows].count("excellent") == 3
    entries = [GradeEntry(r.member_id, "excellent", reason="表现突出") for r in found.rows[:4]]
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    with pytest.raises(GradesRejected, match=r"超过上限 3 人（参评党员总数（含预备党员） 9 人的三分之一，向下取整）"):
        final_grades.submit_grades(actor=ORG, campaign_id=cid, branch_path=path)
    sheet = load_workbook(io.BytesIO(results_workbook(found, today=date(2027, 1, 5)))).active
    assert any(form.cap_rule in str(row[0]) for row in sheet.iter_rows(values_only=True))
    assert results.as_dict(found)["cap_base"] == "all"
    # the committee's summary measures 优秀 against the same base: 4 of 9 is 44.4 %
    final_grades.save_grades(
        actor=ORG, campaign_id=cid, branch_path=path, entries=[GradeEntry(r.member_id, "qualified") for r in found.rows]
    )
    final_grades.save_grades(actor=ORG, campaign_id=cid, branch_path=path, entries=entries)
    made = summary.summary(actor=ORG, campaign_id=cid)
    [(_, [row], _)] = made.groups
    assert (round(row.excellent_share, 1), made.cap_base) == (44.4, "all")
