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
    for path in (ROOT / "services").rglob("*.py"):
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


# One recorded detail of every action that records any, as the services write it.
_RECORDED = {
    "login.failure": {"reason": "locked"},
    "roster.import": {"added": 3, "changed": 1, "removed": 0},
    "campaign.status": {"from": "draft", "to": "open"},
    "campaign.update": {"fields": ["deadline"]},
    "voting.open": {"mode": "named"},
    "voting.links": {"issued": 8},
    "voting.paper": {"n": 2},
    "member.not_taking_part": {"reason": "出国（境）", "voided": True},
    "member.taking_part": {"was": "其他：长期外派"},
    "account.create": {"role": "branch_secretary", "scope": "机关党总支/第一党支部"},
    "account.bulk_create": {"created": 5},
    "account.scope": {"before": {"role": "committee_member", "scope": "a/b"}, "after": {"role": "organizer"}},
    "grades.save": {"graded": 4},
    "grades.approve": {"comment": "同意"},
    "grades.return": {"comment": "请补充理由"},
    "grades.reopen": {"reason": "更正"},
    "disposition.steps": {"member": "杨帆", "kind": "限期改正", "stage": "限期改正中，2026-07-10 期满"},
    "disposition.outcome": {"member": "杨帆", "outcome": "corrected", "on": "2026-07-15"},
    "personal.links": {"count": 5},
    "feedback.record": {"members": 3},
    "opinion.state": {"state": "noted"},
    "problems.save": {"items": 3},
    "rectification.save": {"items": 3, "done": 1},
    "study.save": {"held_on": "2026-11-20", "absent": 1},
    "study.delete": {"held_on": "2026-11-20", "absent": 1},
    "meeting.save": {"held_on": "2026-11-27", "absent": 2},
    "publicity.publish": {"from": "2026-12-01", "to": "2026-12-05"},
    "talks.save": {"committee": 2, "committee_member": 5, "members": 3, "home_visit": 1},
    "report.return": {"comment": "缺少学习记录"},
    "filing.bundle": {"branches": 3, "notices": True},
    "study.materials": {"held_on": "2026-11-20", "sent": True},
    "public_link.renew": {"purpose": "opinions"},
    "filing.unit_details": {"cover": 3, "sections": 2},
}


def test_every_recorded_detail_reads_as_a_chinese_sentence_without_raw_keys():
    import json

    from models.audit import AuditAction

    recorded = set()  # every action some service records with details
    for path in (ROOT / "services").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"audit\.record\((.{0,300}?)\)\s*(?:#[^\n]*)?\n", text, flags=re.S):
            action = re.search(r"AuditAction\.(\w+)", call)
            if action and "detail=" in call:
                recorded.add(AuditAction[action.group(1)].value)
    assert recorded <= set(_RECORDED), recorded - set(_RECORDED)
    for action, detail in _RECORDED.items():
        sentence = describe(action, json.dumps(detail, ensure_ascii=False))
        assert sentence, action
        assert not re.search(r"[A-Za-z_]{2,}", sentence), (action, sentence)  # no key or code shows
    assert describe("opinion.state", '{"state": "noted"}') == "处理状态改为“已知悉”"
    assert (
        describe("talks.save", '{"committee": 2, "home_visit": 1}')
        == "支委委员之间 2 次，上门谈心（年老体弱、外出党员） 1 次"
    )
