"""The session browser: every saved session in a log directory, newest first; Enter replays one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Static

from massgen_tui.events.types import TURN_COMPLETED
from massgen_tui.paths import shown_path
from massgen_tui.replay.catalog import SessionSummary, delete_session, list_sessions
from massgen_tui.text_safety import terminal_safe

COLUMNS = ("date", "question", "agents and models", "winner", "duration", "tokens", "cost")
_QUESTION, _AGENTS = 1, 2  # these two share what the other columns leave; the rest are never cut
_WINNER_WIDTH = 24
_GAP = 1  # blank cells after each column
_MIN_AGENTS = 8  # narrower than this, the agents column is left out


def summary_row(summary: SessionSummary, *, short_date: bool = False) -> tuple[str, ...]:
    """The table cells of one session (``short_date``: month, day and time only, for narrow screens;
    texts from the log made terminal-safe)."""
    try:
        date = datetime.fromtimestamp(summary.started).strftime("%m-%d %H:%M" if short_date else "%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):  # a time no clock can show
        date = "?"
    winner = terminal_safe(summary.winner or "—")
    if summary.status != TURN_COMPLETED:
        winner += f" ({summary.status})"
    return (
        date,
        terminal_safe(" ".join(summary.question.split())),
        ("MassGen: " if summary.massgen else "") + terminal_safe(summary.agents),
        ellipsised(winner, _WINNER_WIDTH),
        f"{summary.duration:.0f}s" if summary.duration is not None else "—",
        f"{summary.tokens:,}" if summary.tokens is not None else "—",
        f"${summary.cost:.4f}" if summary.cost is not None else "—",
    )


def ellipsised(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in … when cut."""
    if cell_len(text) <= width:
        return text
    return chop_cells(text, max(width - 1, 0))[0] + "…" if width > 0 else ""


def column_widths(rows: list[tuple[str, ...]], total: int) -> list[int]:
    """Column widths (without the gap) that fit ``total`` cells: each column as wide as its longest
    cell, except the question (up to 60) and the agents, which share the room the others leave: the
    agents get at least a third of it, or nothing (0: left out) when that is under 8 cells."""
    natural = [max([cell_len(label)] + [cell_len(row[i]) for row in rows]) for i, label in enumerate(COLUMNS)]
    fixed = sum(w for i, w in enumerate(natural) if i not in (_QUESTION, _AGENTS))
    room = total - _GAP * len(COLUMNS) - fixed
    question = min(natural[_QUESTION], 60)
    agents = min(natural[_AGENTS], max(room - question, room // 3))
    if agents < _MIN_AGENTS:
        agents, room = 0, room + _GAP
    widths = list(natural)
    widths[_QUESTION], widths[_AGENTS] = max(min(question, room - agents), cell_len(COLUMNS[_QUESTION])), agents
    return widths


class ConfirmDelete(ModalScreen[bool]):
    """Asks before a session folder is removed."""

    DEFAULT_CSS = """
    ConfirmDelete { align: center middle; }
    ConfirmDelete > #confirm { width: 70; height: auto; border: round $error; background: $surface; padding: 1 2; }
    ConfirmDelete #confirm-buttons { height: auto; margin-top: 1; }
    ConfirmDelete #confirm-buttons Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Delete", id="browser.confirm_delete"),
        Binding("n,escape", "answer(False)", "Keep", id="browser.cancel_delete"),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(f"Delete this session for good?\n\n{shown_path(self.summary.path)}", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Delete (y)", variant="error", id="confirm-yes")
                yield Button("Keep (n)", id="confirm-no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class SessionBrowser(Screen[None]):
    """Saved sessions in ``root``: type to filter, Enter opens the replay, Delete removes (after asking)."""

    CSS_PATH = "session_browser.tcss"
    HELP_GROUP: ClassVar[str] = "saved sessions"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next", show=False, priority=True, id="browser.next"),
        Binding("up", "move(-1)", "Previous", show=False, priority=True, id="browser.previous"),
        Binding("delete", "delete", "Delete session", priority=True, id="browser.delete"),
        Binding("escape", "close", "Close", id="browser.close"),
    ]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.sessions: list[SessionSummary] = []
        self.shown: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Static(f"Saved sessions in {shown_path(self.root)}", id="browser-title", markup=False)
        yield Input(placeholder="type to filter; Enter opens, Delete removes, Esc closes", id="browser-filter",
                    compact=True)
        yield DataTable(id="browser-table", cursor_type="row", zebra_stripes=True, cell_padding=0)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#browser-filter").focus()

    def on_resize(self) -> None:
        self._fill(keep_cursor=True)

    def reload(self) -> None:
        """Read the directory again and show what matches the filter."""
        self.sessions = list_sessions(self.root)
        self._fill()
        if not self.sessions:
            self.notify(f"no saved sessions in {self.root}", timeout=4, markup=False)

    def _fill(self, *, keep_cursor: bool = False) -> None:
        """Show the sessions that match the filter, their columns fitted to the screen's width."""
        words = self.query_one("#browser-filter", Input).value
        self.shown = [s for s in self.sessions if s.matches(words)]
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        width = self.size.width or self.app.size.width
        rows = [summary_row(summary, short_date=width < 120) for summary in self.shown]
        widths = column_widths(rows, width - 2)  # the vertical scrollbar
        shown = [i for i, w in enumerate(widths) if w]
        table.clear(columns=True)
        for i in shown:
            table.add_column(ellipsised(COLUMNS[i], widths[i]), width=widths[i] + _GAP)
        for summary, row in zip(self.shown, rows, strict=True):
            table.add_row(*(ellipsised(row[i], widths[i]) for i in shown), key=str(summary.path))
        if keep_cursor and rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    @property
    def selected(self) -> SessionSummary | None:
        """The highlighted session."""
        row = self.query_one(DataTable).cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    @on(Input.Changed, "#browser-filter")
    def _filter(self) -> None:
        self._fill()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if self.shown:
            table.move_cursor(row=min(max(table.cursor_row + step, 0), len(self.shown) - 1))

    @on(Input.Submitted, "#browser-filter")
    @on(DataTable.RowSelected)
    def open_selected(self) -> None:
        """Replay the highlighted session."""
        from massgen_tui.app.replay_screen import ReplayScreen
        from massgen_tui.replay.session import NotASession, open_session

        summary = self.selected
        if summary is None:
            return
        try:
            session = open_session(summary.path)
        except NotASession as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.app.push_screen(ReplayScreen(session))

    def action_delete(self) -> None:
        """Remove the highlighted session's folder, after a confirmation."""
        summary = self.selected
        if summary is None:
            return

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                delete_session(summary, self.root)
            except (OSError, ValueError) as exc:
                self.notify(f"could not delete: {exc}", severity="error", markup=False)
                return
            self.notify(f"deleted {summary.path.name}", markup=False)
            self.reload()

        self.app.push_screen(ConfirmDelete(summary), answered)

    def action_close(self) -> None:
        """Back to the screen below, or quit when the browser is the app's first screen."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
