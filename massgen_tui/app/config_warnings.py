"""The running config's warnings (unknown keys with a did-you-mean, ...), each at its file:line:col."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from massgen_tui.errors import ConfigIssue
from massgen_tui.paths import shown_path


def warning_line(issue: ConfigIssue) -> str:
    """``~/team.yaml:7:5: agents[0].backend.temprature: unknown key; did you mean 'temperature'?``"""
    where = shown_path(issue.file) if issue.file else "<command line>"
    if issue.line is not None:
        where += f":{issue.line}" + (f":{issue.column}" if issue.column is not None else "")
    key = f" {issue.key_path}:" if issue.key_path else ""
    return f"{where}:{key} {issue.message}"


def warnings_notice(count: int) -> str:
    """What the app says on start when the config has warnings."""
    plural = count != 1
    return f"{count} config warning{'s' * plural}: Ctrl+P, 'config warnings' lists {'them' if plural else 'it'}"


class ConfigWarningsScreen(ModalScreen[None]):
    """Lists the warnings found when the config was loaded; Esc or q closes it."""

    DEFAULT_CSS = """
    ConfigWarningsScreen { align: center middle; }
    ConfigWarningsScreen > Vertical {
        width: 90%; height: auto; max-height: 90%; border: round $warning; background: $surface; padding: 0 1;
    }
    ConfigWarningsScreen #warnings-title { text-style: bold; }
    ConfigWarningsScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    HELP_GROUP: ClassVar[str] = "config warnings"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="close_config_warnings"),
    ]

    def __init__(self, config_name: str, warnings: Sequence[ConfigIssue]) -> None:
        super().__init__()
        self._config_name = config_name
        self._warnings = list(warnings)

    def compose(self) -> ComposeResult:
        count = len(self._warnings)
        with Vertical():
            yield Static(f"{count} warning{'s' * (count != 1)} in {self._config_name} (the session runs with "
                         "them; Ctrl+P, 'open the config editor' to fix them) · Esc closes",
                         id="warnings-title", markup=False)
            yield OptionList(*(warning_line(issue) for issue in self._warnings), id="warnings-list", markup=False)
