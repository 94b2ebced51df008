"""The help screen: every key binding of the app, with its id for the settings keymap."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from massgen_tui.app.keys import binding_keys


def binding_table(sections: list[tuple[str, list[Binding]]], keymap: dict[str, str]) -> Table:
    """A table of (where, keys, what, id) for the given bindings; ``keymap`` overrides keys by id."""
    table = Table(expand=True, box=None, pad_edge=False)
    for column in ("where", "keys", "what", "id"):
        table.add_column(column, style="bold" if column == "keys" else "", no_wrap=column != "what")
    for where, bindings in sections:
        for binding in bindings:
            table.add_row(where, binding_keys(binding, keymap), binding.description, binding.id or "")
    return table


def all_bindings() -> list[tuple[str, list[Binding]]]:
    """The app's own bindings, grouped by where they apply."""
    from massgen_tui.app.config_warnings import ConfigWarningsScreen
    from massgen_tui.app.context_writes_screen import ContextWritesScreen
    from massgen_tui.app.live_screen import LiveScreen
    from massgen_tui.app.main import MassGenApp
    from massgen_tui.app.widgets.final_view import FinalView
    from massgen_tui.app.widgets.transcript_view import TranscriptView
    from massgen_tui.app.workspace_screen import WorkspaceScreen
    from massgen_tui.editor.dialogs.base import Dialog
    from massgen_tui.editor.dialogs.unsaved import UnsavedChangesDialog
    from massgen_tui.editor.screen import ConfigEditorScreen
    from massgen_tui.editor.widgets.agent_form import AgentList, McpList

    def own(bindings: list[BindingType]) -> list[Binding]:
        return [b for b in bindings if isinstance(b, Binding)]

    return [
        ("anywhere", own(MassGenApp.BINDINGS) + [Binding("ctrl+p", "command_palette", "Command palette")]),
        ("screen", own(LiveScreen.BINDINGS)),
        ("agent panel", own(TranscriptView.BINDINGS)),
        ("final answer", own(FinalView.BINDINGS)),
        ("workspaces", own(WorkspaceScreen.BINDINGS)),
        ("help", own(HelpScreen.BINDINGS)),
        ("config warnings", own(ConfigWarningsScreen.BINDINGS)),
        ("writes to your folders", own(ContextWritesScreen.BINDINGS)),
        ("config editor", own(ConfigEditorScreen.BINDINGS)),
        ("editor: agents", own(AgentList.BINDINGS)),
        ("editor: MCP servers", own(McpList.BINDINGS)),
        ("editor: dialogs", own(Dialog.BINDINGS) + own(UnsavedChangesDialog.BINDINGS)),
    ]


def replay_bindings() -> list[tuple[str, list[Binding]]]:
    """The bindings of a replay: its own keys first, then the live screen's (except asking and the queue)."""
    from massgen_tui.app.replay_screen import ReplayScreen

    replay = [b for b in ReplayScreen.BINDINGS if isinstance(b, Binding)]
    sections = all_bindings()
    sections[1] = ("screen", [b for b in sections[1][1] if b.action not in ("ask", "cancel_queued")])
    return [("replay", replay), *sections]


class HelpScreen(ModalScreen[None]):
    """Lists every binding; Esc, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="close_help"),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]] | None = None) -> None:
        """``sections`` of bindings to list; the live app's by default."""
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        keymap = getattr(self.app, "keymap", {})
        with VerticalScroll():
            yield Static("Keys (remap them by id in the settings file's [keymap] section)", classes="title",
                         markup=False)
            yield Static(binding_table(self._sections or all_bindings(), keymap))
