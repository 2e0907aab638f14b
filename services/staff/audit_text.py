"""The audit log in words: a Chinese label for every action, and each entry's details as a sentence."""

import json

from models.account import ROLE_LABELS, Role
from models.audit import AUDIT_LABELS
from models.campaign import STATUS_LABELS, CampaignStatus

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
    return "；".join(f"{k}：{v}" for k, v in d.items())


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
