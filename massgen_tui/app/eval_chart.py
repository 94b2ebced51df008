"""Accuracy vs cost per mode, drawn with characters: one letter per mode (the letter its progress line
starts with) and a bar for its 95% interval; x is cost per question, or tokens when nothing has a price."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from massgen_tui.eval.plot import cost_axis
from massgen_tui.eval.report import ModeSummary

Y_LABEL = 5  # "100% " left of the axis
MAX_ROWS = 21  # taller is no easier to read
COLOURS = ("cyan", "red", "green", "yellow", "magenta", "bright_blue", "bright_red", "bright_green",
           "bright_magenta", "bright_cyan")
SEVERAL = "+"  # more than one mode in a cell


def marker(index: int) -> str:
    """The letter of the ``index``-th mode: A-Z, then a-z."""
    return chr(ord("A") + index) if index < 26 else chr(ord("a") + index % 26)


def colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def _x_tick(value: float, by_cost: bool) -> str:
    return f"${value:.4g}" if by_cost else f"{value:.0f}"


def draw(summaries: Sequence[ModeSummary], markers: dict[str, int], width: int, height: int) -> Text:
    """The chart in ``width`` x ``height`` cells; ``markers`` gives each mode's index (its letter)."""
    xs, x_label = cost_axis(summaries)
    by_cost = x_label.startswith("cost")
    title = Text(f"Accuracy vs {x_label}", style="bold")
    rows, cols = min(max(height - 3, 2), MAX_ROWS), max(width - Y_LABEL - 1, 10)
    if not summaries:
        return Text.assemble(title, "\n(no results yet)")
    x_max = max(xs) * 1.1 or 1.0
    grid: list[list[tuple[str, str]]] = [[(" ", "")] * cols for _ in range(rows)]

    def cell(x: float, y: float) -> tuple[int, int]:
        return rows - 1 - round(y * (rows - 1)), min(cols - 1, round(x / x_max * (cols - 1)))

    for summary, x in zip(summaries, xs, strict=True):  # the intervals first: the letters go on top
        low, high = summary.interval
        top, col = cell(x, high)
        bottom, _ = cell(x, low)
        for row in range(top, bottom + 1):
            grid[row][col] = ("│", f"dim {colour(markers[summary.mode])}")
    placed: set[tuple[int, int]] = set()
    shared = False
    for summary, x in zip(summaries, xs, strict=True):
        row, col = cell(x, summary.accuracy)
        index = markers[summary.mode]
        shared = shared or (row, col) in placed
        grid[row][col] = (SEVERAL, "bold") if (row, col) in placed else (marker(index), f"bold {colour(index)}")
        placed.add((row, col))

    text = Text.assemble(title, f"   ({SEVERAL}: several modes)" if shared else "", "\n")
    for i, line in enumerate(grid):
        label = {0: "100%", rows // 2: " 50%", rows - 1: "  0%"}.get(i, "")
        text.append(f"{label:>4} │")
        for char, style in line:
            text.append(char, style)
        text.append("\n")
    text.append(" " * Y_LABEL + "└" + "─" * cols + "\n")
    low_tick, high_tick = _x_tick(0, by_cost), _x_tick(x_max, by_cost)
    gap = cols - len(low_tick) - len(high_tick)
    middle = x_label if gap >= len(x_label) + 2 else ""
    left = (gap - len(middle)) // 2
    text.append(" " * (Y_LABEL + 1) + low_tick + " " * left + middle + " " * (gap - left - len(middle)) + high_tick)
    return text


class AccuracyCostChart(Widget):
    """The chart of ``summaries``; ``update`` redraws it."""

    DEFAULT_CSS = "AccuracyCostChart { height: 1fr; }"

    def __init__(self, mode_order: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._markers = {mode: i for i, mode in enumerate(mode_order)}
        self._summaries: list[ModeSummary] = []

    def update(self, summaries: Sequence[ModeSummary]) -> None:
        """Show ``summaries`` (modes not in the order given at creation are left out)."""
        self._summaries = [s for s in summaries if s.mode in self._markers]
        self.refresh()

    def render(self) -> Text:
        return draw(self._summaries, self._markers, self.size.width, self.size.height)
