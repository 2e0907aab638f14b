"""Control characters (NUL and the like) are refused with a plain message wherever people type or
import text, on both engines; and no error or log line carries the values of a statement."""

import logging
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.ballot import ballot_form, campaign_status, casting, counting, voting
from services.campaign import roster
from services.platform.db import session_scope
from services.platform.errors import ImportRejected, InvalidInput
from services.platform.text_input import has_control_characters
from services.staff import accounts, login_sessions
from tests.factories import ORG, all_qualified, csv_bytes, make_campaign, make_voting_branch

pytestmark = pytest.mark.usefixtures("database")


def test_control_characters_are_told_apart_from_ordinary_text():
    assert has_control_characters("王\x00芳")
    assert has_control_characters("\x1b[31m")
    assert has_control_characters("\ud800")  # a lone surrogate, which no database can store
    assert not has_control_characters("迪丽热巴·迪力木拉提 Anna")
    assert has_control_characters("第一行\n第二行")
    assert not has_control_characters("第一行\n第二行\t", multiline=True)


def test_a_roster_with_a_nul_in_a_name_is_refused_at_its_row_and_column():
    cid = make_campaign()
    rows = [["姓名", "党支部", "党员类别"], ["王芳", "第一党支部", "正式党员"], ["李\x00明", "第一党支部", "正式党员"]]
    with pytest.raises(ImportRejected) as refused:
        roster.import_roster_file(actor=ORG, campaign_id=cid, filename="r.csv", data=csv_bytes(rows))
    assert [str(e) for e in refused.value.errors] == [
        "第 3 行，“姓名”列：有无法显示的控制字符（如 NUL），请在表格中删去后重新导入"
    ]


@pytest.mark.parametrize(
    ("field", "label"), [("title", "活动名称"), ("party_committee_name", "党委名称"), ("instructions", "测评说明")]
)
def test_campaign_texts_with_a_nul_are_refused(field, label):
    with pytest.raises(InvalidInput, match=f"“{label}”中有无法显示的控制字符"):
        make_campaign(**{field: "二〇二〇\x00年度"})


def test_account_names_and_passwords_with_a_nul_are_refused_and_a_nul_login_is_just_wrong():
    with pytest.raises(InvalidInput, match="“姓名”中有无法显示的控制字符"):
        accounts.create_account(
            actor=ORG, username="zb1", display_name="王\x00芳", role="organizer", scope_path=None, password="abc1234567"
        )
    with pytest.raises(InvalidInput, match="“密码”中有无法显示的控制字符"):
        accounts.create_account(
            actor=ORG, username="zb1", display_name="王芳", role="organizer", scope_path=None, password="abc\x0012345"
        )
    with pytest.raises(login_sessions.LoginRefused, match="用户名或密码不正确"):
        login_sessions.authenticate(username="zb\x001", password="abc1234567")


@pytest.mark.parametrize("value", ["王芳{}", "王\x00芳{}"])
def test_a_failing_statement_never_shows_the_values_it_carried(database, value):
    """The NUL case is PostgreSQL's (it cannot store NUL and refuses the whole statement); SQLite
    stores NUL, so there the statement fails on a missing column instead."""
    secret = value.format(uuid.uuid4().hex[:8])
    column = "username" if "\x00" in secret and not database.startswith("sqlite") else "no_such_column"
    with pytest.raises(DBAPIError) as failed, session_scope() as session:
        session.exec(text(f"INSERT INTO account ({column}) VALUES (:name)").bindparams(name=secret))
    assert secret.replace("\x00", "") not in str(failed.value).replace("\x00", "")
    assert "parameters hidden" in str(failed.value)


def test_no_log_line_holds_ballot_content_even_with_statement_logging_on(caplog):
    caplog.set_level(logging.DEBUG)
    opinion = f"意见{uuid.uuid4().hex[:12]}"
    cid, path, links = make_voting_branch(collect_opinions=True)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        filled = all_qualified(links[0].token)
        casting.cast_ballot(links[0].token, ballot_form.FilledBallot(filled.choices, opinion=opinion))
        voting.close_voting(actor=ORG, campaign_id=cid, branch_path=path)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert "INSERT INTO ballot" in caplog.text  # the statements were logged ...
    assert opinion not in caplog.text  # ... never what they carried
    assert counting.tally(actor=ORG, campaign_id=cid, branch_path=path).opinions == [opinion]


def test_instructions_may_have_several_lines():
    cid = make_campaign(instructions="第一行\n第二行")
    assert campaign_status.set_status(actor=ORG, campaign_id=cid, status="open").status == "open"
