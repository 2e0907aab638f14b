"""Every name the dashboard shows is markdown planted by someone: file names, unit names, member names, campaign
titles, account names, typed texts. Each page, as each role, is run through AppTest, and every string Streamlit
would read as markdown (bodies, labels, captions, help, radio options...) must hold the planted names only in
their escaped form: no live link, image or bold, no bare address left to become a link."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlmodel import select

from services.ballot import campaign_status, casting, paper_ballots, voter_links, voting
from services.campaign import org, roster
from services.filing import reporting
from services.grading import final_grades, results
from services.grading.final_grades import GradeEntry
from services.meeting import attachments, commitments, meeting_record, opinions, problems, rectification, study, talks
from services.meeting.branch_links import public_link
from services.meeting.meeting_record import MeetingFields
from services.meeting.problems import Problem
from services.meeting.rectification import Rectification
from services.staff import accounts, login_sessions
from tests.factories import ORG, all_qualified, csv_bytes, make_campaign
from tests.pages.helpers import logged_in, page

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()


def planted(kind: str) -> str:
    """A long name or text: a link, an image that a browser would fetch, bold."""
    return f"[点我{kind}](http://evil.example) ![{kind}](http://127.0.0.1:8799/t.png) **粗{kind}**"


def medium(kind: str) -> str:
    """At most 60 characters (an account's display name): a link, an image and bold, without spaces."""
    return f"[点我{kind}](http://evil.example)![{kind}](http://127.0.0.1:8799)**粗**"


def short(kind: str, n: int) -> str:
    """A name of at most 30 characters without spaces (member names, user names): a link or an image."""
    return f"[点我{kind}{n}](http://evil.example)" if n % 2 else f"![{kind}{n}](http://127.0.0.1:8799)"


# Planted markup left live: a link to, or an image of, a planted address; planted bold; the address unescaped.
LIVE = re.compile(r"(?<!\\)\[点我[^\]\\]*\]\(|!\[[^\]\\]*\]\(|\*\*粗|evil\.example|127\.0\.0\.1")
# A bare address becomes a link even when escaped ("http\\://" is "http://" once markdown has read it).
AUTOLINK = re.compile(r"(https?://|www\.)(evil|127)", re.IGNORECASE)
# Where Streamlit reads no markdown: text, code and HTML elements' bodies (st.html escapes for HTML itself).
NOT_MARKDOWN_BODY = {"text", "code", "html", "json"}
MARKDOWN_FIELDS = {"body", "label", "caption", "captions", "help", "text", "delta", "title", "content"}
# The options of these are read as markdown; a select box's and a multiselect's are not (shown as plain text).
MARKDOWN_OPTIONS = {"radio", "select_slider", "button_group"}
KINDS = ["活动", "总支", "支部甲", "支部乙", "党员甲", "党员乙", "姓名", "账号", "主题", "原因", "文件", "问题", "退回"]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _roster(general: str, branches: dict[str, str]) -> bytes:
    """Four full members and one probationary in each branch; the first is a leading cadre, old and ill."""
    rows = [["姓名", "党总支", "党支部", "党员类别", "党员领导干部", "年老体弱"]]
    for branch, tag in branches.items():
        rows += [[short(f"党员{tag}", n), general, branch, "正式党员", "是" if n == 1 else "", "是" if n == 1 else ""]
                 for n in range(1, 5)]  # fmt: skip
        rows.append([f"**粗党员{tag}预备**", general, branch, "预备党员", "", ""])
    return csv_bytes(rows)


def _account(role: str, scope: str | None, n: int):
    username = short("账号", n)
    accounts.create_account(
        actor=ORG, username=username, display_name=medium("姓名"), role=role, scope_path=scope, password="secret12345"
    )  # fmt: skip
    return login_sessions.authenticate(username=username, password="secret12345")


def _reported(cid: int, unit_path: str) -> None:
    """The general branch's package as sent (the package itself is not what these pages are about)."""
    from models import OrgUnit, UnitReport
    from services.platform.clock import now
    from services.platform.db import session_scope

    with session_scope() as session:
        unit = session.exec(select(OrgUnit).where(OrgUnit.campaign_id == cid, OrgUnit.path == unit_path)).one()
        session.add(UnitReport(campaign_id=cid, unit_id=unit.id, state="reported", reported_at=now(), package=b"zip"))


@pytest.fixture
def year(monkeypatch):
    """A year's data in which every name is planted markdown: branch 甲 voted, graded and submitted, with its
    records and a photo; branch 乙 voting, one member on paper; the general branch's package returned; and a
    second campaign that holds none of the secretaries' branches."""
    monkeypatch.setenv("BASE_URL", "http://192.168.1.10:8501")
    general = planted("总支")
    cid = make_campaign(title=planted("活动"), year=TODAY.year, deadline=TODAY + timedelta(days=30))
    data = _roster(general, {planted("支部甲"): "甲", planted("支部乙"): "乙"})
    roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=data)
    campaign_status.set_status(actor=ORG, campaign_id=cid, status="open")
    paths = [r.path for r in org.branch_rows(actor=ORG, campaign_id=cid)]
    voted, running = (next(p for p in paths if "支部甲" in p), next(p for p in paths if "支部乙" in p))
    gb_path = voted.rsplit("/", 1)[0]
    where = {"actor": ORG, "campaign_id": cid}

    voting.open_voting(**where, branch_path=voted)
    links = voter_links.issue_links(**where, branch_path=voted, base_url="http://test")
    for link in links:
        casting.cast_ballot(link.token, all_qualified(link.token))
    voting.close_voting(**where, branch_path=voted)
    found = results.branch_results(**where, branch_path=voted)
    final_grades.save_grades(**where, branch_path=voted,
                             entries=[GradeEntry(r.member_id, r.suggestion.grade) for r in found.rows])  # fmt: skip
    final_grades.submit_grades(**where, branch_path=voted)

    voting.open_voting(**where, branch_path=running)
    others = voter_links.issue_links(**where, branch_path=running, base_url="http://test")
    casting.cast_ballot(others[0].token, all_qualified(others[0].token))
    paper_ballots.mark_paper(**where, branch_path=running, member_ids=[others[1].member_id])

    ids = {link.label: link.member_id for link in links}
    absent = ids[short("党员甲", 2)]
    study.record_study(**where, branch_path=voted, held_on=TODAY, topic=planted("主题"), materials=planted("材料"),
                       absent=[absent])  # fmt: skip
    talks.save_talks(**where, branch_path=voted, counts={"committee": (2, planted("说明"))})
    token = public_link(**where, branch_path=voted, purpose="opinions", base_url="http://x").rsplit("/", 1)[1]
    opinions.leave_opinion(token, planted("意见"), sent_from_this_browser=0)
    problems.save_problems(**where, branch_path=voted, items=[Problem(planted("问题"), "学习", "自我查摆")])
    meeting_record.save_meeting(
        **where, branch_path=voted, absences={absent: planted("原因")},
        fields=MeetingFields(TODAY - timedelta(days=1), planted("地点"), short("主持", 1), None, True, True, True,
                             planted("备注")),
    )  # fmt: skip
    attachments.add_attachment(**where, branch_path=voted, kind="photo", filename=planted("文件") + ".png",
                               data=_png())  # fmt: skip
    late = Rectification(planted("问题"), planted("措施"), short("责任人", 1), TODAY - timedelta(days=1))
    rectification.save_rectifications(**where, branch_path=voted, items=[late])
    commitments.write_own(links[0].token, planted("承诺"))

    _reported(cid, gb_path)
    reporting.return_report(**where, unit_path=gb_path, comment=planted("退回"))

    make_campaign(title=planted("活动三"), year=TODAY.year + 1, deadline=TODAY + timedelta(days=400))  # a draft
    other = make_campaign(title=planted("活动二"), year=TODAY.year - 1, deadline=TODAY + timedelta(days=30))
    rows = [["姓名", "党总支", "党支部", "党员类别"], [short("党员丙", 1), planted("总支丙"), "第一党支部", "正式党员"]]
    roster.import_roster_file(actor=ORG, campaign_id=other, filename="r.csv", data=csv_bytes(rows))
    campaign_status.set_status(actor=ORG, campaign_id=other, status="open")  # a draft is the organizer's alone

    people = {
        "organizer": _account("organizer", None, 1),
        "general_branch_secretary": _account("general_branch_secretary", gb_path, 2),
        "branch_secretary": _account("branch_secretary", voted, 3),
        "branch_secretary_running": _account("branch_secretary", running, 4),
        "committee_member": _account("committee_member", voted, 5),
    }
    return {"cid": cid, "other": other, "voted": voted, "running": running, "gb": gb_path, "people": people}


BRANCH_PAGES = [
    "ballot.voting", "ballot.reminders", "ballot.meeting_screen", "ballot.paper_ballots", "grading.results",
    "progress.checklist", "meeting.study", "meeting.talks", "meeting.problems", "meeting.meeting_record",
    "meeting.rectification",
]  # fmt: skip
OTHER_PAGES = [
    "campaign.home", "campaign.roster_view", "campaign.campaign_setup", "progress.overview", "filing.reporting",
    "staff.accounts_admin", "staff.audit_log", "staff.password",
]  # fmt: skip


def _strings(message, kind: str, into: list[str]) -> None:
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if hasattr(item, "ListFields"):
                _strings(item, kind, into)
            elif isinstance(item, str) and (
                (field.name in MARKDOWN_FIELDS and not (field.name == "body" and kind in NOT_MARKDOWN_BODY))
                or (field.name == "options" and kind in MARKDOWN_OPTIONS)
            ):
                into.append(item)


def markdown_strings(at) -> list[str]:
    """Every string of the run that Streamlit reads as markdown, the sidebar's and the blocks' labels included."""
    found: list[str] = []
    for node in at._tree:
        if getattr(node, "proto", None) is not None and hasattr(node.proto, "ListFields"):
            _strings(node.proto, getattr(node, "type", ""), found)
    return found


def _check(at, where: str, live: list[str], seen: set[str]) -> None:
    assert not at.exception, f"{where}: {at.exception[0].message if at.exception else ''}"
    for text in markdown_strings(at):
        read = html.unescape(re.sub(r"\\(.)", r"\1", text))  # the text as markdown leaves it
        if LIVE.search(text) or AUTOLINK.search(read):
            live.append(f"{where}: {text!r}")
        seen.update(k for k in KINDS if re.search(rf"(\\\[|&#91;)(点我)?{k}", text))  # a link's or an image's


def _runs(case: dict, role: str):
    """(where, AppTest ready to run) for every page the role opens, on every branch it may choose."""
    actor = case["people"][role]
    branches = {
        "branch_secretary": [case["voted"]], "committee_member": [case["voted"]],
        "branch_secretary_running": [case["running"]],
    }.get(role, [case["voted"], case["running"]])  # fmt: skip
    yield "frame", logged_in(actor)
    for module in OTHER_PAGES:
        at = page(module, actor)
        if module != "campaign.campaign_setup":  # which opens on the newest campaign, a draft one may delete
            at.session_state["chosen_c"] = case["cid"]
        yield module, at
    for module in BRANCH_PAGES:
        for path in branches:
            at = page(module, actor)
            at.session_state["chosen_c"] = case["cid"]
            at.session_state["chosen_b"] = path
            yield f"{module} in branch {'甲' if path == case['voted'] else '乙'}", at
    if role != "organizer":  # a campaign without one's branches names those that have one
        at = page("meeting.study", actor)
        at.session_state["chosen_c"] = case["other"]
        yield "meeting.study in the other campaign", at


ROLES = ["organizer", "general_branch_secretary", "branch_secretary", "branch_secretary_running", "committee_member"]


@pytest.mark.parametrize("role", ROLES)
def test_no_planted_markdown_comes_alive_on_any_page(year, role):
    live: list[str] = []
    seen: set[str] = set()
    for where, at in _runs(year, role):
        _check(at.run(), f"{role} {where}", live, seen)
    assert not live, "planted markdown shown live:\n" + "\n".join(live)
    branch = {"活动", "总支", "姓名", "支部甲", "党员甲", "主题", "原因", "文件", "问题"}
    expected = {
        "organizer": set(KINDS),
        "general_branch_secretary": set(KINDS) - {"账号"},  # accounts are managed by the organizer and branches
        "branch_secretary": branch,
        "committee_member": branch,
        "branch_secretary_running": {"活动", "总支", "姓名", "支部乙", "党员乙"},
    }[role]
    assert expected <= seen, f"not shown at all (so not checked): {sorted(expected - seen)}"


def test_the_meeting_record_shows_a_planted_file_name_escaped(year):
    at = page("meeting.meeting_record", year["people"]["branch_secretary"])
    at.session_state["chosen_b"] = year["voted"]
    at.run()
    [caption] = [c for c in markdown_strings(at) if "文件" in c and c.startswith("会议照片")]
    assert caption.startswith("会议照片：\\[点我文件\\]\\(http\\:\u2060//evil\\.example\\) \\!\\[文件\\]")
    assert not LIVE.search(caption)


def test_messages_after_actions_name_accounts_and_units_escaped(year):
    """Flashes made after a click: the account's new role and scope, a report returned by the organizer."""
    people, live, seen = year["people"], [], set()
    admin = page("staff.accounts_admin", people["organizer"])
    admin.session_state["chosen_c"] = year["cid"]  # where the scope is chosen from
    admin.run()
    assert admin.selectbox(key="acct").value == people["general_branch_secretary"].account_id
    admin.button(key="assign_save").click().run()
    _check(admin, "assign", live, seen)
    assert admin.success[0].value.startswith("\\!\\[账号2\\]\\(http\\:\u2060//127\\.0\\.0\\.1\\:8799\\) 现为总支书记")
    _reported_again(year)
    filing = page("filing.reporting", people["organizer"])
    filing.session_state["chosen_c"] = year["cid"]
    filing.run()
    filing.text_input(key=f"return_comment_{year['gb']}").input("请补充材料")
    filing.button(key=f"return_{year['gb']}").click().run()
    _check(filing, "return", live, seen)
    assert not live, "\n".join(live)
    assert {"账号", "总支"} <= seen
    assert filing.success[0].value.startswith("已退回\\[点我总支\\]")


def _reported_again(year) -> None:
    from models import UnitReport
    from services.platform.db import session_scope

    with session_scope() as session:
        row = session.exec(select(UnitReport).where(UnitReport.campaign_id == year["cid"])).one()
        row.state = "reported"
        session.add(row)
