"""One figure of a benchmark beside the baseline measured in the same run, and the table they make.

A bench script calls `report([...])` at its end: it prints the script's table, and when the suite
(`python -m bench`) runs the script it also appends the figures to the suite's file (BENCH_FIGURES),
so that the suite can print one table of every figure.
"""

import json
import os
from dataclasses import asdict, dataclass


@dataclass
class Figure:
    what: str  # what was measured, e.g. "300 phones vote at once: wall time"
    value: float
    unit: str  # "s", "ms", "/s", "MiB", ...
    baseline: str = ""  # what the same-run baseline is, e.g. "bare Starlette form + raw sqlite3"
    base_value: float | None = None
    target: str = ""  # the aim as a ratio, e.g. "≤ 3×" (lower is better) or "≥ 0.6×"

    @property
    def ratio(self) -> float | None:
        return self.value / self.base_value if self.base_value else None


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """A Markdown table: figure, product, baseline, ratio, target."""
    lines = ["| figure | product | same-run baseline | ratio | aim |", "|---|---|---|---|---|"]
    for f in figures:
        base = f"{_number(f.base_value, f.unit)} ({f.baseline})" if f.baseline else ""
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        lines.append(f"| {f.what} | {_number(f.value, f.unit)} | {base} | {ratio} | {f.target} |")
    return "\n".join(lines)


def report(figures: list[Figure]) -> None:
    print()
    print(table(figures))
    path = os.environ.get("BENCH_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            for figure in figures:
                out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")


def read(path: str) -> list[Figure]:
    with open(path, encoding="utf-8") as lines:
        return [Figure(**json.loads(line)) for line in lines if line.strip()]
