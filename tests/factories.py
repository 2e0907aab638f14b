"""Plain factory functions for tests: real service calls with sensible defaults."""

from datetime import date, timedelta
from pathlib import Path

from services.ballot import ballot_form, campaign_status, paper_ballots, voter_links
from services.campaign import campaigns, roster
from services.staff import accounts, login_sessions
from services.staff.access import Actor

FIXTURES = Path(__file__).parent / "fixtures"
ORG = Actor(username="organizer-in-tests", display_name="组织部（测试）", role="organizer")


def make_campaign(**overrides) -> int:
    year = overrides.get("year", 2020)
    values = {
        "title": f"{year}年度基层党组织组织生活会和民主评议党员",
        "year": year,
        "deadline": date(year + 1, 3, 20),
        "party_committee_name": "江海学院党委",
    }
    values.update(overrides)
    return campaigns.create_campaign(actor=ORG, **values)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_fixture(campaign_id: int, name: str) -> roster.ImportReport:
    return roster.import_roster_file(actor=ORG, campaign_id=campaign_id, filename=name, data=fixture_bytes(name))


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode(encoding)


def make_account(role: str, scope_path: str | None = None, *, username: str | None = None) -> Actor:
    """An account with a known password ("secret12345"), returned as the Actor it logs in as."""
    name = username or f"{role}-{scope_path or 'all'}".replace("/", "-")
    accounts.create_account(
        actor=ORG, username=name, display_name=name, role=role, scope_path=scope_path, password="secret12345"
    )
    return login_sessions.authenticate(username=name, password="secret12345")


BRANCH = "机关党总支/第一党支部"
BRANCH_MEMBERS = ["王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵刚"]  # full members, roster order
PROBATIONARY = "孙丽"


def make_voting_branch(*, full: int = 7, mode: str = "named", person_ids: dict | None = None, **campaign_options):
    """An open campaign with one branch of `full` full members and one probationary member, voting
    opened and links issued; `person_ids` adds a 身份证号 column (name -> id). Returns (campaign_id,
    branch_path, links)."""
    from services.ballot import voting

    campaign_options.setdefault("year", date.today().year)
    campaign_options.setdefault("deadline", date.today() + timedelta(days=30))
    cid = make_campaign(**campaign_options)
    names = (BRANCH_MEMBERS + [f"党员{i:03d}" for i in range(full)])[:full]
    rows = [["姓名", "党总支", "党支部", "党员类别"]]
    rows += [[name, "机关党总支", "第一党支部", "正式党员"] for name in names[:2]]
    rows += [[PROBATIONARY, "机关党总支", "第一党支部", "预备党员"]]
    rows += [[name, "机关党总支", "第一党支部", "正式党员"] for name in names[2:]]
    if person_ids is not None:
        rows = [[*rows[0], "身份证号"]] + [[*r, person_ids.get(r[0], "")] for r in rows[1:]]
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    voting.open_voting(actor=ORG, campaign_id=cid, branch_path=BRANCH, mode=mode)
    links = voter_links.issue_links(actor=ORG, campaign_id=cid, branch_path=BRANCH, base_url="http://test")
    return cid, BRANCH, links


def all_qualified(token: str, **overrides):
    """A complete ballot for the token's branch: everyone 合格 unless overridden by member name."""
    from services.ballot import casting

    form = casting.open_ballot(token)
    choices = {m: overrides.get(name, "qualified") for m, name in form.rated}
    return ballot_form.FilledBallot(choices=choices)


# Seven valid ballots (six online, one on paper), at most two 优秀 each (the cap of 7 full members):
# 王芳 and 李明 5 votes of 优秀 each, 张伟 4 (beyond the cap), 刘洋 4 基本合格 to 3, 杨帆 4 不合格 to 3.
_EXCELLENT = {"王芳": {0, 1, 2, 3, 4}, "李明": {2, 3, 4, 5, 6}, "张伟": {0, 1, 5, 6}}


def _designed_ballot(token: str, i: int):
    grades = {name: "excellent" if i in cast else "qualified" for name, cast in _EXCELLENT.items()}
    grades["刘洋"] = "basically_qualified" if i < 4 else "qualified"
    grades["杨帆"] = "unqualified" if i < 4 else "basically_qualified"
    return all_qualified(token, **grades)


def make_voted_branch(**campaign_options):
    """A closed branch: 8 voters, 6 online ballots, 1 paper ballot and 1 废票. Returns (campaign_id, path,
    links); links[6] and links[7] were marked for paper."""
    from services.ballot import casting, voting

    cid, path, links = make_voting_branch(full=7, **campaign_options)
    for i in range(6):
        casting.cast_ballot(links[i].token, _designed_ballot(links[i].token, i))
    paper = [links[6].member_id, links[7].member_id]
    paper_ballots.mark_paper(actor=ORG, campaign_id=cid, branch_path=path, member_ids=paper)
    paper_ballots.enter_paper_ballot(
        actor=ORG, campaign_id=cid, branch_path=path, filled=_designed_ballot(links[0].token, 6)
    )
    paper_ballots.record_invalid_paper_ballot(actor=ORG, campaign_id=cid, branch_path=path)
    voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    return cid, path, links
