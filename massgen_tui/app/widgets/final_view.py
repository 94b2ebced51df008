"""The final answer, rendered as Markdown, with the winner and the path of the saved log."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from massgen_tui.logs.writer import final_answer_file as final_answer_path
from massgen_tui.view.session_view import SessionView


def final_answer_file(view: SessionView) -> str | None:
    """Where the session log keeps this turn's final answer (the log writer's ``turn_N/final.md``);
    ``None`` without a log, before the answer is complete, or when the log failed."""
    if not (view.log_dir and view.final_done) or view.log_failed:
        return None
    return str(final_answer_path(Path(view.log_dir), view.turn))


def final_header(view: SessionView) -> Content:
    """Who presents, whether the answer is complete, and where the log is."""
    text = Content()
    if view.final_agent:
        text = text.append_text("Final answer", "bold")
        text = text.append_text(f" by {view.name_of(view.final_agent)}")
        state = " · interrupted" if view.final_interrupted else "" if view.final_done else " · streaming…"
        text = text.append_text(state, "dim")
    else:
        text = text.append_text("No final answer yet", "dim")
    if view.log_failed:
        text = text.append_text("\nnot saved: the session log failed (see the notice)", "bold")
    else:
        text = text.append_text("\nsaved: ", "dim")
        text = text.append_text(final_answer_file(view) or view.log_dir or "no log", "dim")
    if view.final_workspace:
        text = text.append_text("\nfinal workspace: ", "dim").append_text(view.final_workspace, "dim")
    text = text.append_text("   c copies it", "dim")
    return text


class FinalView(Vertical):
    """Header plus a scrollable Markdown rendering of the final answer; scrolled with the panels' keys."""

    HELP_GROUP: ClassVar[str] = "final answer"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [  # the same ids as an agent panel's: one keymap entry moves both
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="scroll_down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="scroll_up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False, id="page_down"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="page_up"),
        Binding("home,g", "scroll('home')", "Top", show=False, id="scroll_top"),
        Binding("end,G", "scroll('end')", "Bottom", show=False, id="scroll_bottom"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="final-header", markup=False)
        with VerticalScroll(id="final-scroll"):
            yield Markdown(id="final-markdown")

    def refresh_from(self, view: SessionView) -> None:
        """Show the view's current final answer (re-rendered only when it changed)."""
        self.query_one("#final-header", Static).update(final_header(view))
        if view.final_text != self._shown:
            self._shown = view.final_text
            self.query_one("#final-markdown", Markdown).update(view.final_text)

    def action_scroll(self, where: str) -> None:
        """Scroll the answer: ``down``, ``up``, ``page_down``, ``page_up``, ``home`` or ``end``."""
        getattr(self.query_one("#final-scroll", VerticalScroll), f"scroll_{where}")(animate=False)
