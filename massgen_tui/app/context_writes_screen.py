"""Asks before the winner's changes are written to the user's own folders (context paths with permission: write)."""

from __future__ import annotations

import asyncio
from typing import ClassVar, TypeVar

from rich.syntax import Syntax
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from massgen_tui.text_safety import terminal_safe

ReturnT = TypeVar("ReturnT")


class ContextWritesScreen(ModalScreen[bool]):
    """The files and the unified diff of what would be written; y writes them, n or Esc keeps the folders as
    they are."""

    CSS_PATH = "context_writes_screen.tcss"
    HELP_GROUP: ClassVar[str] = "writes to your folders"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Write the changes", id="approve_writes"),
        Binding("n,escape", "answer(False)", "Keep my folders as they are", id="refuse_writes"),
    ]

    def __init__(self, files: list[str], diff: str) -> None:
        super().__init__()
        self._files = files
        self._diff = terminal_safe(diff)

    def compose(self) -> ComposeResult:
        count = len(self._files)
        with Vertical():
            yield Static(f"The final answer changes {count} file{'s' * (count != 1)} in your folders · "
                         "y writes them · n or Esc keeps your folders as they are", id="writes-title", markup=False)
            yield Static("\n".join(terminal_safe(f) for f in self._files), id="writes-files", markup=False)
            with VerticalScroll(id="writes-diff"):
                yield Static(Syntax(self._diff or "(no textual changes)", "diff", word_wrap=True))

    def action_answer(self, write: bool) -> None:
        """Close with the user's answer."""
        self.dismiss(write)


async def ask_before_writing(app: App[ReturnT], files: list[str], diff: str) -> bool:
    """Show the changes and wait for the user's answer (the session's ``approve_writes`` hook)."""
    answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def answered(write: bool | None) -> None:
        if not answer.done():
            answer.set_result(bool(write))

    app.push_screen(ContextWritesScreen(files, diff), callback=answered)
    return await answer
