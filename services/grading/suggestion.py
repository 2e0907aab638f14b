"""The suggested grade for each full member, by a rule the results page states in words.

Only a suggestion: the branch decides the final grade. The rule:
1. the grade with the most votes;
2. 优秀 only within the cap (floor of full members × the campaign's fraction), given by 优秀 share,
   highest first; a member beyond the cap is suggested their most-voted other grade;
3. a tie for the most votes goes to the more favourable grade; ties and near-ties (within one vote),
   and equal 优秀 shares at the edge of the cap, are flagged for the branch to decide.
"""

from dataclasses import dataclass, field

from models.voting import GRADE_LABELS, Grade

RULE = (
    "建议格次按得票最多的等次；“优秀”只在比例上限以内按优秀得票率从高到低建议，超出上限的按其余得票最多的等次建议；"
    "票数相同或只差一票的，标出由支部研究决定。建议仅供参考，最终格次由党支部评定。"
)
_FAVOURABLE_FIRST = list(Grade)  # excellent, qualified, basically_qualified, unqualified


@dataclass(frozen=True)
class Suggestion:
    grade: str | None  # a Grade value; None without any valid ballot
    flags: list[str] = field(default_factory=list)


def _ranked(counts: dict[str, int], *, without: str | None = None) -> list[str]:
    """Grades by votes, most first; a tie goes to the more favourable grade."""
    grades = [g.value for g in _FAVOURABLE_FIRST if g.value != without]
    return sorted(grades, key=lambda g: (-counts.get(g, 0), grades.index(g)))


def _closeness(counts: dict[str, int], ranked: list[str]) -> str | None:
    top, second = counts.get(ranked[0], 0), counts.get(ranked[1], 0)
    first_label, second_label = GRADE_LABELS[Grade(ranked[0])], GRADE_LABELS[Grade(ranked[1])]
    if top == second:
        return f"“{first_label}”与“{second_label}”票数相同（各 {top} 票），请支部研究决定"
    if top - second == 1:
        return f"“{first_label}”只比“{second_label}”多一票（{top} 比 {second}），请支部研究决定"
    return None


def suggest(rows: list[tuple[int, dict[str, int]]], cap: int) -> dict[int, Suggestion]:
    """rows: (member id, grade -> votes) for every full member; cap: how many may be 优秀."""
    ranked = {m: _ranked(counts) for m, counts in rows}
    counts_of = dict(rows)
    candidates = [m for m, counts in rows if sum(counts.values()) and ranked[m][0] == Grade.excellent]

    def share(m: int) -> float:
        return counts_of[m].get(Grade.excellent, 0) / sum(counts_of[m].values())

    candidates.sort(key=share, reverse=True)
    admitted = set(candidates[:cap])
    # Equal shares on both sides of the cap: the order between them is the branch's call.
    edge = share(candidates[cap - 1]) if 0 < cap < len(candidates) else None
    at_edge = {m for m in candidates if edge is not None and share(m) == edge}
    if at_edge <= admitted:
        at_edge = set()
    result: dict[int, Suggestion] = {}
    for m, counts in rows:
        if not sum(counts.values()):
            result[m] = Suggestion(None, ["没有有效票，无法给出建议"])
            continue
        flags = [flag] if (flag := _closeness(counts, ranked[m])) else []
        grade = ranked[m][0]
        if grade == Grade.excellent and m not in admitted:
            grade = _ranked(counts, without=Grade.excellent)[0]
            flags.append(f"“优秀”得票最多，但超出本支部优秀名额（{cap} 人），按其余得票最多的等次建议")
        if m in at_edge:
            flags.append("优秀得票率与名额边缘的党员相同，请支部研究决定")
        result[m] = Suggestion(grade, flags)
    return result
