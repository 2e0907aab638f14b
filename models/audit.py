"""The audit log: who changed what, and when. Never a ballot's content or a voter link."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=80, index=True)
    actor_role: str = Field(max_length=30)
    action: str = Field(max_length=40, index=True)
    campaign_id: int | None = Field(default=None, index=True)
    target: str | None = Field(default=None, max_length=400)
    detail: str | None = Field(default=None, max_length=2000)


class AuditAction(StrEnum):
    """Everything the audit log records; each has a label in AUDIT_LABELS."""

    login_success = "login.success"
    login_failure = "login.failure"
    login_locked = "login.locked"
    logout = "logout"
    account_first_organizer = "account.first_organizer"
    account_create = "account.create"
    account_bulk_create = "account.bulk_create"
    account_reset_password = "account.reset_password"
    account_change_password = "account.change_password"
    account_disable = "account.disable"
    account_enable = "account.enable"
    account_scope = "account.scope"
    campaign_create = "campaign.create"
    campaign_update = "campaign.update"
    campaign_delete = "campaign.delete"
    campaign_status = "campaign.status"
    campaign_demo = "campaign.demo"
    roster_import = "roster.import"
    voting_open = "voting.open"
    voting_links = "voting.links"
    voting_reissue = "voting.reissue"
    voting_paper = "voting.paper"
    voting_close = "voting.close"
    member_not_taking_part = "member.not_taking_part"
    member_taking_part = "member.taking_part"
    grades_save = "grades.save"
    grades_submit = "grades.submit"
    grades_approve = "grades.approve"
    grades_return = "grades.return"
    grades_reopen = "grades.reopen"
    disposition_steps = "disposition.steps"
    disposition_outcome = "disposition.outcome"
    personal_links = "personal.links"
    campaign_dispositions = "campaign.dispositions"  # no longer recorded; older entries keep their label
    campaign_study = "campaign.study"
    study_save = "study.save"
    study_delete = "study.delete"
    talks_save = "talks.save"
    opinion_state = "opinion.state"
    problems_save = "problems.save"
    meeting_save = "meeting.save"
    attachment_add = "attachment.add"
    attachment_delete = "attachment.delete"
    rectification_save = "rectification.save"
    commitment_enter = "commitment.enter"
    commitment_delete = "commitment.delete"
    self_review_enter = "self_review.enter"
    publicity_publish = "publicity.publish"
    report_send = "report.send"
    report_return = "report.return"
    report_receive = "report.receive"
    export_download = "export.download"
    filing_bundle = "filing.bundle"
    report_read = "report.read"
    study_materials = "study.materials"
    public_link_renewed = "public_link.renew"
    feedback_record = "feedback.record"
    unit_details_save = "filing.unit_details"


AUDIT_LABELS = {
    AuditAction.login_success: "登录",
    AuditAction.login_failure: "登录失败",
    AuditAction.login_locked: "账号锁定",
    AuditAction.logout: "退出登录",
    AuditAction.account_first_organizer: "创建首个组织部账号",
    AuditAction.account_create: "创建账号",
    AuditAction.account_bulk_create: "批量创建书记账号",
    AuditAction.account_reset_password: "重置密码",
    AuditAction.account_change_password: "修改密码",
    AuditAction.account_disable: "停用账号",
    AuditAction.account_enable: "启用账号",
    AuditAction.account_scope: "调整权限范围",
    AuditAction.campaign_create: "创建评议活动",
    AuditAction.campaign_update: "修改评议活动",
    AuditAction.campaign_delete: "删除评议活动",
    AuditAction.campaign_status: "更改活动状态",
    AuditAction.campaign_demo: "加载演示数据",
    AuditAction.roster_import: "导入花名册",
    AuditAction.voting_open: "开启测评",
    AuditAction.voting_links: "生成测评链接",
    AuditAction.voting_reissue: "补发测评链接",
    AuditAction.voting_paper: "登记纸质投票",
    AuditAction.voting_close: "结束测评",
    AuditAction.member_not_taking_part: "标记未参加评议",
    AuditAction.member_taking_part: "取消未参加评议",
    AuditAction.grades_save: "保存评定格次",
    AuditAction.grades_submit: "报送评定格次审批",
    AuditAction.grades_approve: "审批通过评定格次",
    AuditAction.grades_return: "退回评定格次",
    AuditAction.grades_reopen: "重新打开评定格次",
    AuditAction.disposition_steps: "记录组织处置程序",
    AuditAction.disposition_outcome: "记录组织处置结果",
    AuditAction.personal_links: "生成个人链接",
    AuditAction.campaign_dispositions: "修改组织处置选项",
    AuditAction.campaign_study: "修改学习内容",
    AuditAction.study_save: "记录集中学习",
    AuditAction.study_delete: "删除集中学习记录",
    AuditAction.talks_save: "记录谈心谈话",
    AuditAction.opinion_state: "处理意见建议",
    AuditAction.problems_save: "保存问题清单",
    AuditAction.meeting_save: "保存组织生活会记录",
    AuditAction.attachment_add: "上传会议附件",
    AuditAction.attachment_delete: "删除会议附件",
    AuditAction.rectification_save: "保存整改清单",
    AuditAction.commitment_enter: "代录整改承诺",
    AuditAction.commitment_delete: "删除代录的整改承诺",
    AuditAction.self_review_enter: "代录党性分析",
    AuditAction.publicity_publish: "发布公示",
    AuditAction.report_send: "报送备案材料",
    AuditAction.report_return: "退回报送的材料",
    AuditAction.report_receive: "接收报送的材料",
    AuditAction.export_download: "下载导出文件",
    AuditAction.filing_bundle: "生成备案材料",
    AuditAction.report_read: "读取已报送的材料",
    AuditAction.study_materials: "登记送学",
    AuditAction.public_link_renewed: "更换支部公开链接",
    AuditAction.feedback_record: "记录反馈情况",
    AuditAction.unit_details_save: "保存报送单位信息和情况报告",
}
