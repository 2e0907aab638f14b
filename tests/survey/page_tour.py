"""Every kind of survey page a member or the public can reach, with real data behind it: the addresses
the accessibility (axe-core) and HTML validity (vnu) checks walk. Two campaigns: last year's branch has
voted, been graded and approved, with personal links and a published rectification list; this year's
branch is voting now, with personal links for the 党性分析 before its result."""

from dataclasses import dataclass
from datetime import date, timedelta

from services.ballot import casting, representatives
from services.grading import feedback, final_grades, results
from services.grading.final_grades import GradeEntry
from services.meeting import branch_links, publicity, rectification
from services.meeting.rectification import Rectification
from services.platform.clock import local, now
from tests.factories import ORG, make_account, make_voted_branch, make_voting_branch

UNKNOWN = "0" * 26  # a well-formed token that names nothing


@dataclass(frozen=True)
class Tour:
    ballot: str  # /v/<token> of this year's open ballot
    ballot_names: list[str]  # the members rated on it, in order
    after_approval: str  # /v/<token> of last year's voter: the message page with her own result
    personal: str  # /p/<token>, the result approved
    personal_before: str  # /p/<token> before the branch's result: the 党性分析 link first
    opinion: str  # /o/<token>
    commitment: str  # /c/<token>
    self_review: str  # /s/<token>, the 党性分析 form
    publicity: str  # /g/<token>, published and running today
    masses_ballot: str  # /v/<code> of this year's 群众评议 (a representative's ballot)
    invalid: tuple[str, ...] = tuple(f"/{kind}/{UNKNOWN}" for kind in "vpocgs")


def _public(cid: int, path: str, purpose: str) -> str:
    url = branch_links.public_link(actor=ORG, campaign_id=cid, branch_path=path, purpose=purpose, base_url="http://t")
    return url.removeprefix("http://t")


def _approve(cid: int, path: str) -> None:
    found = results.branch_results(actor=ORG, campaign_id=cid, branch_path=path)
    entries = []
    for row in found.rows:
        extra = {"disposition": "限期改正", "disposition_note": "三个月内改正"}
        entries.append(
            GradeEntry(
                row.member_id,
                row.suggestion.grade,
                feedback_note="希望继续带好党小组",
                **(extra if row.suggestion.grade == "unqualified" else {}),
            )
        )
    secretary = make_account("branch_secretary", path)
    final_grades.save_grades(actor=secretary, campaign_id=cid, branch_path=path, entries=entries)
    final_grades.submit_grades(actor=secretary, campaign_id=cid, branch_path=path)
    final_grades.approve_grades(actor=ORG, campaign_id=cid, branch_path=path)


def build_tour() -> Tour:
    """The data behind every page (the database must be migrated and current), and their addresses."""
    last_year = date.today().year - 1
    done_cid, path, voted = make_voted_branch(year=last_year, deadline=date.today() + timedelta(days=30))
    _approve(done_cid, path)
    personal = feedback.issue_personal_links(actor=ORG, campaign_id=done_cid, branch_path=path, base_url="")
    today = local(now()).date()
    item = Rectification("学习不系统", "每月集中学习", "王芳", today + timedelta(days=30))
    rectification.save_rectifications(actor=ORG, campaign_id=done_cid, branch_path=path, items=[item])
    publicity.publish(
        actor=ORG, campaign_id=done_cid, branch_path=path, starts_on=today, ends_on=today + timedelta(days=6)
    )
    open_cid, open_path, links = make_voting_branch(full=7, collect_opinions=True, rate_branch_committee=True)
    representatives.set_enabled(actor=ORG, campaign_id=open_cid, enabled=True)
    codes = representatives.open_masses(actor=ORG, campaign_id=open_cid, branch_path=open_path, codes=2, base_url="")
    before = feedback.issue_personal_links(actor=ORG, campaign_id=open_cid, branch_path=open_path, base_url="")
    return Tour(
        ballot=f"/v/{links[0].token}",
        ballot_names=[name for _, name in casting.open_ballot(links[0].token).rated],
        after_approval=f"/v/{voted[0].token}",
        personal=f"/p/{personal[0].token}",
        personal_before=f"/p/{before[0].token}",
        opinion=_public(open_cid, open_path, "opinions"),
        commitment=f"/c/{links[1].token}",
        self_review=f"/s/{links[2].token}",
        publicity=_public(done_cid, path, "publicity"),
        masses_ballot=f"/v/{codes[0].token}",
    )
