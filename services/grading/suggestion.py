"""The suggested grade for each full member, by a rule the results page states in words.

Only a suggestion: the branch decides the final grade. The rule:
1. the grade with the most votes;
2. 优秀 only within the cap (services/campaign/cap.py: the campaign's base × its fraction, rounded down),
   given by 优秀 share, highest first; a member beyond the cap is suggested their most-voted other grade;
3. the tie rule: a tie goes to the lower grade — for the most votes (10 优秀 against 10 合格: 合格), and for
   equal 优秀 shares on both sides of the cap's edge (none of them is suggested 优秀). Ties, near-ties (within
   one vote) and the cap's edge are flagged for the branch to decide. The page, the sheet and the command line
   all take their suggestions from here.
"""

from dataclasses import dataclass, field

from models.voting import GRADE_LABELS, Grade

TIE_RULE = (
    "票数相同时按较低的等次建议（如“优秀”“合格”各 10 票，建议“合格”）；优秀得票率相同的党员跨过名额边缘时，"
    "都不建议为“优秀”"
)
RULE = (
    "建议格次按得票最多的等次；“优秀”只在名额以内按优秀得票率从高到低建议，超出名额的按其余得票最多的等次建议；"
    f"{TIE_RULE}。票数相同或只差一票的，标出由支部研究决定。建议仅供参考，最终格次由党支部评定。"
)
_LOWER_FIRST = list(reversed(Grade))  # unqualified, basically_qualified, qualified, excellent


@dataclass(frozen=True)
class Suggestion:
    grade: str | None  # a Grade value; None without any valid ballot
    flags: list[str] = field(default_factory=list)


def _ranked(counts: dict[str, int], *, without: str | None = None) -> list[str]:
    """Grades by votes, most first; a tie goes to the lower grade (the tie rule)."""
    grades = [g.value for g in _LOWER_FIRST if g.value != without]
    return sorted(grades, key=lambda g: (-counts.get(g, 0), grades.index(g)))


def _below_excellent(counts: dict[str, int]) -> str:
    """The suggestion for a member held back from 优秀: the most-voted other grade (a tie to the lower one),
    or 合格 when no other grade has a vote."""
    other = _ranked(counts, without=Grade.excellent)[0]
    return other if counts.get(other, 0) else Grade.qualified.value


def _closeness(counts: dict[str, int], ranked: list[str]) -> str | None:
    top, second = counts.get(ranked[0], 0), counts.get(ranked[1], 0)
    first_label, second_label = GRADE_LABELS[Grade(ranked[0])], GRADE_LABELS[Grade(ranked[1])]
    if top == second:
        return f"“{second_label}”与“{first_label}”票数相同（各 {top} 票），按较低的等次建议，请支部研究决定"
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
    # Equal shares on both sides of the cap's edge: by the tie rule none of them is suggested 优秀, and the
    # order between them is the branch's call.
    edge = share(candidates[cap - 1]) if 0 < cap < len(candidates) else None
    at_edge = {m for m in candidates if edge is not None and share(m) == edge}
    if at_edge <= admitted:
        at_edge = set()
    admitted -= at_edge
    result: dict[int, Suggestion] = {}
    for m, counts in rows:
        if not sum(counts.values()):
            result[m] = Suggestion(None, ["没有有效票，无法给出建议"])
            continue
        flags = [flag] if (flag := _closeness(counts, ranked[m])) else []
        grade = ranked[m][0]
        if grade == Grade.excellent and m not in admitted:
            grade = _below_excellent(counts)
            if m in at_edge:
                flags.append(
                    f"优秀得票率与名额边缘的党员相同，“优秀”名额（{cap} 人）不够都给：按较低的等次建议，请支部研究决定"
                )
            else:
                flags.append(f"“优秀”得票最多，但超出本支部优秀名额（{cap} 人），按其余得票最多的等次建议")
        result[m] = Suggestion(grade, flags)
    return result
