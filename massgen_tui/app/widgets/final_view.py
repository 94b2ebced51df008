"""The final answer, rendered as Markdown, with the winner and the path of the saved log."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from massgen_tui.app.model.session_view import SessionView


def final_answer_file(view: SessionView) -> str | None:
    """Where the session log keeps this turn's final answer (the log writer's ``turn_N/final.md``)."""
    if not (view.log_dir and view.final_done):
        return None
    return str(Path(view.log_dir) / f"turn_{view.turn}" / "final.md")


def final_header(view: SessionView) -> Content:
    """Who presents, whether the answer is complete, and where the log is."""
    text = Content()
    if view.final_agent:
        text = text.append_text("Final answer", "bold")
        text = text.append_text(f" by {view.name_of(view.final_agent)}")
        text = text.append_text("" if view.final_done else " · streaming…", "dim")
    else:
        text = text.append_text("No final answer yet", "dim")
    text = text.append_text("\nsaved: ", "dim")
    text = text.append_text(final_answer_file(view) or view.log_dir or "no log", "dim")
    text = text.append_text("   c copies it", "dim")
    return text


class FinalView(Vertical):
    """Header plus a scrollable Markdown rendering of the final answer."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown = None

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
