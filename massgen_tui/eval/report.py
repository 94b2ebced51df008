"""The report: accuracy per mode with a 95% Wilson interval, tokens, cost and time, as a table and Markdown."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from massgen_tui.eval.results import Record

Z95 = 1.959964


def wilson(correct: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``correct`` out of ``n`` (``(0, 0)`` for no trials)."""
    if n == 0:
        return 0.0, 0.0
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(slots=True, frozen=True)
class ModeSummary:
    """One mode's totals over its questions. ``time`` is the sum of item latencies (seconds)."""

    mode: str
    n: int
    correct: int
    tokens: int
    cost: float | None
    time: float

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.correct, self.n)

    @property
    def correct_per_1k_tokens(self) -> float:
        """Right answers per 1000 tokens spent."""
        return 1000 * self.correct / self.tokens if self.tokens else 0.0


def summarise(records: Sequence[Record], mode_order: Sequence[str] = ()) -> list[ModeSummary]:
    """One summary per mode, in ``mode_order`` first, then in order of appearance."""
    by_mode: dict[str, list[Record]] = {name: [] for name in mode_order}
    for record in records:
        by_mode.setdefault(record["mode"], []).append(record)
    summaries = []
    for mode, rows in by_mode.items():
        if not rows:
            continue
        costs = [r.get("cost") for r in rows]
        known = [c for c in costs if c is not None]
        summaries.append(ModeSummary(
            mode=mode, n=len(rows), correct=sum(1 for r in rows if r["correct"]),
            tokens=sum(int(r.get("tokens") or 0) for r in rows),
            cost=round(sum(known), 6) if len(known) == len(costs) else None,
            time=round(sum(float(r.get("latency") or 0) for r in rows), 3),
        ))
    return summaries


COLUMNS = ("mode", "n", "correct", "accuracy", "95% CI", "tokens", "tokens/q", "cost", "time s", "s/q",
           "correct/1k tok")


def rows(summaries: Sequence[ModeSummary]) -> list[list[str]]:
    """The report table's cells, one row per mode."""
    table = []
    for s in summaries:
        low, high = s.interval
        table.append([
            s.mode, str(s.n), str(s.correct), f"{s.accuracy:.1%}", f"{low:.1%}-{high:.1%}", str(s.tokens),
            f"{s.tokens / s.n:.0f}", "?" if s.cost is None else f"${s.cost:.4f}", f"{s.time:.1f}",
            f"{s.time / s.n:.2f}", f"{s.correct_per_1k_tokens:.2f}",
        ])
    return table


#: Left out of the terminal table, in this order, while it is wider than the terminal (the Markdown has all).
NARROW_DROPS = ("correct", "time s", "tokens", "cost", "s/q")


def terminal_table(summaries: Sequence[ModeSummary], width: int | None = None) -> str:
    """The table as aligned plain text, at most ``width`` columns wide if leaving columns out can do it."""
    table = [list(COLUMNS), *rows(summaries)]
    drops = list(NARROW_DROPS)
    while True:
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        if width is None or sum(widths) + 2 * (len(widths) - 1) <= width or not drops:
            break
        column = table[0].index(drops.pop(0))
        table = [row[:column] + row[column + 1:] for row in table]

    def line(cells: Sequence[str]) -> str:
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        return "  ".join(padded)

    return "\n".join([line(table[0]), line(["-" * w for w in widths]), *(line(r) for r in table[1:])])


def markdown_report(title: str, summaries: Sequence[ModeSummary], records: Sequence[Record],
                    plot_file: str | None = None) -> str:
    """The Markdown report: the table, the plot, and each question's extracted answer per mode."""
    def md_row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    lines = [f"# {title}", "", md_row(COLUMNS), md_row(["---"] * len(COLUMNS)), *(md_row(r) for r in rows(summaries)),
             "", "Accuracy: right answers over questions; 95% CI: Wilson score interval; time: the sum of each "
             "question's latency; single:<agent> is that agent alone (per-agent accuracy).", ""]
    if plot_file:
        lines += [f"![accuracy vs cost]({plot_file})", ""]
    modes = [s.mode for s in summaries]
    cell: dict[tuple[str, str], Record] = {(r["id"], r["mode"]): r for r in records}
    ids = sorted({r["id"] for r in records})
    expected = {r["id"]: str(r["expected"]) for r in records}
    lines += ["## Per question (extracted answer, ✓ right / ✗ wrong)", "",
              md_row(["id", "expected", *modes]), md_row(["---"] * (len(modes) + 2))]
    for qid in ids:
        marks = []
        for mode in modes:
            record = cell.get((qid, mode))
            marks.append("" if record is None else
                         f"{record['extracted'] if record['extracted'] is not None else '(none)'} "
                         f"{'✓' if record['correct'] else '✗'}")
        lines.append(md_row([qid, expected[qid], *marks]))
    return "\n".join(lines) + "\n"
