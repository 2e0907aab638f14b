"""`manage.py self-reviews`: who of a branch handed in their 党性分析 and who has not, never the texts unless
--texts (and then the reading is in the audit log)."""

import json

import pytest
from sqlmodel import select

from models import AuditEntry
from services.meeting import self_reviews
from services.platform.db import session_scope
from tests.factories import ORG, PROBATIONARY, make_voting_branch
from tests.test_cli import manage

pytestmark = pytest.mark.usefixtures("database")
WORDS = "对照合格党员标准，我在学习上有差距"


def test_the_list_without_texts_and_with_them_on_request():
    cid, path, links = make_voting_branch(full=3)
    self_reviews.write_own(links[0].token, WORDS)
    self_reviews.enter_for(actor=ORG, campaign_id=cid, branch_path=path, member_id=links[1].member_id, text="代录的")
    plain = manage("self-reviews", "--campaign", str(cid), "--branch", "第一党支部")
    assert plain.returncode == 0, plain.stderr
    assert "应交 4 人，已交 2 人，未交 2 人" in plain.stdout and f"未交：{PROBATIONARY}、张伟" in plain.stdout
    assert "王芳\t" in plain.stdout and "\t本人" in plain.stdout and "\t代录" in plain.stdout
    assert WORDS not in plain.stdout
    found = json.loads(manage("self-reviews", "--campaign", str(cid), "--branch", path, "--json").stdout)
    assert [(s["name"], s["how"]) for s in found["submitted"]] == [("王芳", "本人"), ("李明", "代录")]
    assert found["missing"] == [PROBATIONARY, "张伟"] and "texts" not in found
    with session_scope() as session:
        assert not session.exec(select(AuditEntry).where(AuditEntry.action == "export.download")).all()
    texts = manage("self-reviews", "--campaign", str(cid), "--branch", "第一党支部", "--texts")
    assert texts.returncode == 0 and WORDS in texts.stdout
    with session_scope() as session:
        [read] = session.exec(select(AuditEntry.target).where(AuditEntry.action == "export.download")).all()
    assert read == f"{path}：党性分析（2 份）"
    missing = manage("self-reviews", "--campaign", str(cid), "--branch", "没有的支部")
    assert missing.returncode != 0
