"""The audit log reads as sentences: every action the services record has a Chinese label."""

import re
from pathlib import Path

from services.staff.audit_text import ACTION_LABELS, action_label, describe
from tests.conftest import ROOT


def test_every_action_is_a_member_of_the_enum_and_has_a_chinese_label():
    from models.audit import AUDIT_LABELS, AuditAction

    assert set(AUDIT_LABELS) == set(AuditAction)
    assert ACTION_LABELS is AUDIT_LABELS
    # Services name actions through the enum only, never as loose strings.
    loose = []
    for path in (ROOT / "services").glob("*.py"):
        text = Path(path).read_text(encoding="utf-8")
        loose += re.findall(r'record\(\s*session,\s*[\w()]+,\s*"([^"]+)"', text)
    assert loose == []
    assert action_label(AuditAction.voting_close) == "结束测评"


def test_details_read_as_sentences_not_json():
    assert describe("roster.import", '{"added": 3, "changed": 1, "removed": 0}') == "新增 3 人，更新 1 人，移除 0 人"
    assert describe("campaign.status", '{"from": "draft", "to": "open"}') == "由“草稿”改为“进行中”"
    assert describe("campaign.update", '{"fields": ["deadline", "title"]}') == "修改了截止日期、活动名称"
    assert describe("voting.open", '{"mode": "unnamed"}') == "发放方式：无记名投票码"
    assert (
        describe("account.scope", '{"before": {"role": "branch_secretary", "scope": "机关党总支/第一党支部"}, '
                 '"after": {"role": "organizer", "scope": null}}')
        == "由支部书记（机关党总支 / 第一党支部）改为组织部"
    )  # fmt: skip
    assert describe("logout", None) == ""
