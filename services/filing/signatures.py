"""The lines where the forms have seals and signatures: 计票人 / 监票人 under the filed 民主测评统计表, the upper
organization's approval (上级党组织审批意见（盖章）) under 民主评议结果, and the 党统-style cover lines of the summary
and the cover sheet. A name not entered leaves a blank to sign by hand."""

from datetime import date

from models.grading import GradingAction
from services.filing.unit_details import UnitDetails
from services.platform.clock import local
from services.sheets.figures import day

BLANK = "　" * 6  # room to sign or write by hand
BLANK_DATE = "　　　　年　　月　　日"


def tally_line(counted_by: str | None, scrutinized_by: str | None) -> str:
    """计票人 and 监票人 as the meeting record names them, each to sign beside."""
    return f"计票人（签名）：{counted_by or BLANK}　　　　监票人（签名）：{scrutinized_by or BLANK}"


def approval_line(history: list) -> str:
    """上级党组织审批意见（盖章）: the latest approval's comment and date, or blanks while not approved."""
    decision = next((s for s in reversed(history) if s.action == GradingAction.approve), None)
    if decision is None:
        return f"上级党组织审批意见（盖章）：{BLANK * 2}　　审批日期：{BLANK_DATE}"
    comment = decision.comment or "同意"
    return (
        f"上级党组织审批意见（盖章）：{comment}（{decision.actor_name}）　　审批日期：{day(local(decision.at).date())}"
    )


def cover_line(details: UnitDetails | None, *, unit: str, today: date) -> str:
    """填报单位（盖章）, 负责人（签名）, 填表人（签名）, 联系电话 (the unit's office), 报出日期 — on one line."""
    d = details or UnitDetails("")
    return (
        f"填报单位（盖章）：{unit}　　负责人（签名）：{d.leader or BLANK}　　填表人（签名）：{d.preparer or BLANK}"
        f"　　联系电话：{d.office_phone or BLANK}　　报出日期：{day(today)}"
    )
