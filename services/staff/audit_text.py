"""The audit log in words: a Chinese label for every action, and each entry's details as a sentence."""

import json

from models.account import ROLE_LABELS, Role
from models.audit import AUDIT_LABELS
from models.campaign import STATUS_LABELS, CampaignStatus
from models.grading import CASE_OUTCOMES
from models.meeting import OPINION_LABELS, TALK_LABELS

ACTION_LABELS = AUDIT_LABELS
_FIELDS = {
    "title": "活动名称",
    "year": "评议年度",
    "deadline": "截止日期",
    "party_committee_name": "党委名称",
    "excellent_cap_num": "优秀比例",
    "excellent_cap_den": "优秀比例",
    "rate_branch_committee": "评价支部委员会",
    "collect_opinions": "收集意见建议",
    "instructions": "测评说明",
    "cap_base": "“优秀”名额的基数",
    "masses_rating": "群众评议",
}
_MODES = {"named": "实名链接", "unnamed": "无记名投票码"}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, "其他操作")


def describe(action: str, detail: str | None) -> str:
    """An entry's details as a sentence ("" when it has none)."""
    if not detail:
        return ""
    d = json.loads(detail)
    if action == "login.failure":
        return {"unknown": "用户名不存在", "locked": "账号锁定期间尝试登录"}.get(d.get("reason"), "")
    if action == "roster.import":
        return f"新增 {d.get('added', 0)} 人，更新 {d.get('changed', 0)} 人，移除 {d.get('removed', 0)} 人"
    if action == "campaign.status":
        return f"由“{_status(d.get('from'))}”改为“{_status(d.get('to'))}”"
    if action == "campaign.update":
        return "修改了" + "、".join(dict.fromkeys(_FIELDS.get(f, f) for f in d.get("fields", [])))
    if action == "voting.open":
        return f"发放方式：{_MODES.get(d.get('mode'), d.get('mode'))}"
    if action == "voting.links":
        return f"生成 {d.get('issued', 0)} 条，此前未用的链接作废"
    if action == "voting.paper":
        return f"登记 {d.get('n', 0)} 人使用纸质票"
    if action == "account.bulk_create":
        return f"创建 {d.get('created', 0)} 个账号"
    if action == "account.create":
        return _role_scope(d)
    if action == "account.scope":
        return f"由{_role_scope(d.get('before') or {})}改为{_role_scope(d.get('after') or {})}"
    if action in _SENTENCES:
        return _SENTENCES[action](d)
    return ""  # details of an action not worded yet are left out rather than shown as raw keys


def _said(label: str, key: str):
    return lambda d: f"{label}：{d.get(key)}" if d.get(key) else ""


_SENTENCES = {
    "member.not_taking_part": lambda d: f"原因：{d.get('reason')}" + ("（投票链接已作废）" if d.get("voided") else ""),
    "member.taking_part": _said("原标记的原因", "was"),
    "grades.save": lambda d: f"已填写 {d.get('graded', 0)} 人的评定格次",
    "grades.approve": _said("审批意见", "comment"),
    "grades.return": _said("退回意见", "comment"),
    "grades.reopen": _said("重新打开的原因", "reason"),
    "disposition.steps": lambda d: f"{d.get('member')}：{d.get('kind')}，{d.get('stage')}",
    "disposition.outcome": lambda d: (
        f"{d.get('member')}：{CASE_OUTCOMES.get(d.get('outcome'), '其他')}（{d.get('on')}）"
    ),
    "report.return": _said("退回意见", "comment"),
    "personal.links": lambda d: f"生成 {d.get('count', 0)} 条个人链接，此前的个人链接作废",
    "feedback.record": lambda d: f"记录 {d.get('members', 0)} 名党员的反馈情况",
    "opinion.state": lambda d: f"处理状态改为“{OPINION_LABELS.get(d.get('state'), d.get('state'))}”",
    "problems.save": lambda d: f"问题清单共 {d.get('items', 0)} 项",
    "rectification.save": lambda d: f"整改清单共 {d.get('items', 0)} 项，已完成 {d.get('done', 0)} 项",
    "study.save": lambda d: f"{d.get('held_on')} 的集中学习，缺席 {d.get('absent', 0)} 人",
    "study.delete": lambda d: f"删除 {d.get('held_on')} 的集中学习（缺席 {d.get('absent', 0)} 人）",
    "meeting.save": lambda d: f"{d.get('held_on')} 召开的组织生活会，缺席 {d.get('absent', 0)} 人",
    "publicity.publish": lambda d: f"公示期 {d.get('from')} 至 {d.get('to')}",
    "public_link.renew": lambda d: (
        {"opinions": "征求意见链接", "publicity": "公示链接"}.get(d.get("purpose"), "") + "已更换，原链接作废"
    ),
    "study.materials": lambda d: f"{d.get('held_on')} 的集中学习：" + ("已送学" if d.get("sent") else "改为未送学"),
    "filing.bundle": lambda d: (
        f"{d.get('branches', 0)} 个党支部"
        + ("，附反馈通知" if d.get("notices") else "")
        + ("，附党性分析全文" if d.get("self_reviews") else "")
    ),
    "filing.unit_details": lambda d: (
        f"落款（负责人、填表人、联系电话）填写 {d.get('cover', 0)} 项，情况报告填写 {d.get('sections', 0)} 部分"
    ),
    "talks.save": lambda d: "，".join(f"{TALK_LABELS.get(k, '其他')} {n} 次" for k, n in d.items()),
}


def _status(value: str | None) -> str:
    try:
        return STATUS_LABELS[CampaignStatus(value)]
    except ValueError:
        return str(value)


def _role_scope(d: dict) -> str:
    try:
        role = ROLE_LABELS[Role(d.get("role"))]
    except ValueError:
        role = str(d.get("role"))
    scope = d.get("scope")
    return f"{role}（{scope.replace('/', ' / ')}）" if scope else role
