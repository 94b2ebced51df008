"""The replay timeline: a bar with markers for answers, votes, restarts and the final answer,
the current position, and the time, speed and play state as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from massgen_tui.replay import index as ix

# Symbol and style per marker kind; when several fall on one cell the earlier kind here wins.
_MARKS = {
    ix.FINAL: ("★", "bold $success"),
    ix.RESTART: ("↻", "$warning"),
    ix.ANSWER: ("◆", "$success"),
    ix.VOTE: ("✓", "$accent"),
    ix.ROUND: ("┆", "$primary"),
    ix.TURN_END: ("■", "$success"),
}
_PRIORITY = {kind: rank for rank, kind in enumerate(_MARKS)}


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``)."""
    whole = int(max(seconds, 0))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@dataclass(slots=True)
class TimelineState:
    """What the bar shows."""

    position: int
    total: int
    elapsed: float
    duration: float
    speed: float
    playing: bool
    complete: bool = True
    note: str = ""


def cell_of(position: int, total: int, width: int) -> int:
    """The cell of ``position`` (1 to ``total``): the first event in the first cell, the last in the last."""
    return (max(position, 1) - 1) * (width - 1) // max(total - 1, 1) if width > 1 else 0


def position_at(cell: int, total: int, width: int) -> int:
    """The position (1 to ``total``) a click on ``cell`` goes to: the inverse of :func:`cell_of`."""
    if total <= 1 or width <= 1:
        return min(total, 1)
    return 1 + round(min(max(cell, 0), width - 1) * (total - 1) / (width - 1))


def marker_cells(markers: Sequence[ix.Marker], total: int, width: int) -> dict[int, str]:
    """The marker kind shown in each cell of a bar ``width`` cells wide."""
    cells: dict[int, str] = {}
    if total <= 0 or width <= 0:
        return cells
    for marker in markers:
        cell = cell_of(marker.position, total, width)
        shown = cells.get(cell)
        if shown is None or _PRIORITY[marker.kind] < _PRIORITY[shown]:
            cells[cell] = marker.kind
    return cells


def bar_content(cells: dict[int, str], width: int, position: int, total: int) -> Content:
    """The bar: markers on a rule, the part played so far brighter, the current cell reversed."""
    here = cell_of(position, total, width) if total else 0
    parts = []
    for cell in range(width):
        kind = cells.get(cell)
        symbol, style = _MARKS[kind] if kind else ("━" if cell <= here else "─", "$primary" if cell <= here else "dim")
        parts.append((symbol, f"{style} reverse" if cell == here else style))
    return Content.assemble(*parts)


def status_content(state: TimelineState) -> Content:
    """``▶ 2x  0:12 / 1:40  12%  event 120/1000`` and any note."""
    mode = Content.styled(" ▶ playing " if state.playing else " ❚❚ paused ", "bold reverse")
    percent = 100 * (state.elapsed / state.duration if state.duration else state.position / max(state.total, 1))
    more = "" if state.complete else "+ (indexing)"
    text = mode.append_text(f" {state.speed:g}x  {clock(state.elapsed)} / {clock(state.duration)}  "
                            f"{percent:.0f}%  event {state.position}/{state.total}{more}")
    if state.note:
        text = text.append_text(f"  {state.note}", "$warning")
    return text


class TimelineBar(Static):
    """Two lines under the panels: the marker bar and the position text. A click on the bar seeks."""

    class Seek(Message):
        """The user clicked the bar: go to ``position``."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._state: TimelineState | None = None
        self._markers: Sequence[ix.Marker] = ()
        self._cells: tuple[tuple[int, int, int], dict[int, str]] | None = None

    def show(self, state: TimelineState, markers: Sequence[ix.Marker]) -> None:
        """Redraw for ``state`` with ``markers``."""
        self._state, self._markers = state, markers
        self.refresh()

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y == 0 and self._state is not None and self._state.total:
            self.post_message(self.Seek(position_at(offset.x, self._state.total, self.content_size.width)))

    def render(self) -> Content:
        state = self._state
        if state is None:
            return Content("")
        width = max(self.content_size.width, 1)
        key = (width, len(self._markers), state.total)
        if self._cells is None or self._cells[0] != key:
            self._cells = (key, marker_cells(self._markers, state.total, width))
        bar = bar_content(self._cells[1], width, state.position, state.total)
        return Content("\n").join([bar, status_content(state)])
