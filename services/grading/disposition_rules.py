"""The rules of a 组织处置 case, without the database: the three kinds the Party's rules allow for a member
rated 不合格, the order of the decision's steps (支委会研究 → 支部大会表决 → 上级党组织审批), the period of
限期改正 (6 to 12 months, 6 unless the branch decides longer; it runs from the upper organization's approval)
and the outcomes each kind can end in."""

import calendar
from dataclasses import dataclass
from datetime import date

from models.grading import CASE_OUTCOMES, DISPOSITION_KINDS, DISPOSITION_TO_REDECIDE, MEETING_RESULTS, REASON_MAX
from services.platform.errors import InvalidInput, RowError
from services.platform.text_input import require_plain

CORRECTION = "限期改正"
PERIOD_DEFAULT, PERIOD_MIN, PERIOD_MAX = 6, 6, 12  # months of 限期改正
# The outcomes a kind can end in: a member under 限期改正 who does not change is persuaded to leave or removed;
# one who refuses to leave is removed; any decision not adopted (a vote that failed, the approval refused)
# ends as 撤销处置, with its reason.
OUTCOMES_OF = {
    "限期改正": ("corrected", "persuaded", "expelled", "withdrawn"),
    "劝其退党": ("persuaded", "expelled", "withdrawn"),
    "除名": ("expelled", "withdrawn"),
}
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class CaseSteps:
    """What the branch records of the decision; a date left empty is a step not taken yet."""

    committee_on: date | None = None  # 支委会研究
    meeting_on: date | None = None  # 支部大会表决
    meeting_result: str | None = None  # MEETING_RESULTS key
    approved_on: date | None = None  # 上级党组织审批
    period_months: int | None = None  # 限期改正 only; None: the default


@dataclass(frozen=True)
class Outcome:
    outcome: str  # CASE_OUTCOMES key
    outcome_on: date
    note: str | None = None


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (08-31 + 6 → 02-28/29)."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def period_of(kind: str, steps: CaseSteps) -> int | None:
    """The months of 限期改正 (the default where none was given); None for the other kinds."""
    if kind != CORRECTION:
        return None
    return PERIOD_DEFAULT if steps.period_months is None else steps.period_months


def ends_on(kind: str, steps: CaseSteps) -> date | None:
    """限期改正's last day, once the upper organization has approved the decision."""
    months = period_of(kind, steps)
    return add_months(steps.approved_on, months) if months is not None and steps.approved_on else None


def disposition_problem(name: str, disposition: str | None, *, submitting: bool) -> str | None:
    """A 不合格's 组织处置 as the grading rules see it: one of the three kinds; an older entry marked
    待重新确定 may stay in a draft but blocks submitting."""
    kinds = "、".join(DISPOSITION_KINDS)
    if disposition in DISPOSITION_KINDS:
        return None
    if disposition == DISPOSITION_TO_REDECIDE:
        if not submitting:
            return None
        return f"{name}：组织处置“{DISPOSITION_TO_REDECIDE}”（原处置已写在处置说明开头），请重新选择：{kinds}"
    if disposition is None:
        return f"{name}：评定为“不合格”，须选择组织处置（{kinds}）"
    return f"{name}：“{disposition}”不是组织处置，“不合格”党员的组织处置只能是：{kinds}"


def steps_problems(kind: str, steps: CaseSteps, *, today: date) -> list[str]:
    """Every problem of the decision's steps at once."""
    problems = []
    if kind not in DISPOSITION_KINDS:
        return [f"组织处置是“{kind}”：请先在评定格次中选择{'、'.join(DISPOSITION_KINDS)}之一，再记录处置程序"]
    named = {"支委会研究": steps.committee_on, "支部大会表决": steps.meeting_on, "上级党组织审批": steps.approved_on}
    problems += [f"{what}日期 {on} 晚于今天：只记录已经进行的程序" for what, on in named.items() if on and on > today]
    if steps.meeting_result is not None and steps.meeting_result not in MEETING_RESULTS:
        problems.append(f"“{steps.meeting_result}”不是表决结果，可选：{'、'.join(MEETING_RESULTS.values())}")
    if (steps.meeting_on is None) != (steps.meeting_result is None):
        problems.append("支部大会表决：请同时填写表决日期和表决结果")
    if steps.meeting_on and not steps.committee_on:
        problems.append("先经支委会研究，再提交支部大会表决：请填写支委会研究日期")
    if steps.approved_on and steps.meeting_result != "passed":
        problems.append("支部大会表决通过后，才报上级党组织审批：请先填写支部大会表决日期和“通过”")
    for (first, early), (then, late) in zip(list(named.items()), list(named.items())[1:], strict=False):
        if early and late and late < early:
            problems.append(f"{then}日期 {late} 早于{first}日期 {early}")
    if kind != CORRECTION and steps.period_months is not None:
        problems.append(f"只有“{CORRECTION}”有期限，“{kind}”没有")
    months = period_of(kind, steps)
    if months is not None and not PERIOD_MIN <= months <= PERIOD_MAX:
        problems.append(
            f"限期改正的期限为 {PERIOD_MIN} 至 {PERIOD_MAX} 个月（一般 {PERIOD_DEFAULT} 个月），填的是 {months} 个月"
        )
    return problems


def outcome_problems(kind: str, steps: CaseSteps, outcome: Outcome, *, today: date) -> list[str]:
    """Every problem of recording how the case ended, against the steps as they stand."""
    if outcome.outcome not in CASE_OUTCOMES:
        return [f"“{outcome.outcome}”不是处置结果，可选：{'、'.join(CASE_OUTCOMES.values())}"]
    problems = []
    allowed = OUTCOMES_OF.get(kind, ())
    if outcome.outcome not in allowed:
        words = "、".join(CASE_OUTCOMES[o] for o in allowed)
        problems.append(f"“{kind}”的处置结果只能是：{words}，不能是“{CASE_OUTCOMES[outcome.outcome]}”")
    if outcome.outcome_on > today:
        problems.append(f"结果日期 {outcome.outcome_on} 晚于今天：期满后再记录结果")
    note = (outcome.note or "").strip()
    if len(note) > REASON_MAX:
        problems.append(f"结果说明过长（{len(note)} 字，最多 {REASON_MAX} 字）")
    if outcome.outcome == WITHDRAWN:
        if not note:
            problems.append("撤销处置须写明原因（如支部大会表决未通过、上级党组织未批准）")
        return problems
    if not steps.approved_on:
        problems.append("上级党组织审批后才有处置结果：请先记录上级党组织审批日期")
        return problems
    if outcome.outcome_on < steps.approved_on:
        problems.append(f"结果日期 {outcome.outcome_on} 早于上级党组织审批日期 {steps.approved_on}")
    last = ends_on(kind, steps)
    if last and outcome.outcome_on < last:
        problems.append(f"限期改正 {period_of(kind, steps)} 个月，{last} 期满：期满后再记录结果")
    return problems


def checked_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note:
        require_plain(note, "结果说明")
    return note


class CaseRejected(InvalidInput):
    """A case's record refused as a whole, one message per problem; nothing saved."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{name}的组织处置未保存，共 {len(problems)} 处问题：\n" + "\n".join(problems))


def sheet_problems(rows) -> list[RowError]:
    """A filled-in results sheet's 组织处置 column: the three kinds only (待重新确定 is not chosen, it is
    decided again)."""
    kinds = "、".join(DISPOSITION_KINDS)
    return [
        RowError(r.row, "组织处置", f"“{r.disposition}”不是组织处置，“不合格”党员的组织处置只能是：{kinds}")
        for r in rows
        if r.disposition and r.disposition not in DISPOSITION_KINDS
    ]
