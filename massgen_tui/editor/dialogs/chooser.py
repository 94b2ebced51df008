"""What to edit when no file is named: a new empty team, a bundled example, or one of the user's configs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from massgen_tui.editor.dialogs.base import Dialog
from massgen_tui.paths import shown_path


@dataclass(frozen=True, slots=True)
class Choice:
    """A file to open (``None``: a new team); a ``template`` opens as an untitled copy."""

    path: Path | None
    template: bool = False


class ConfigChooser(Dialog[Choice]):
    """Lists the choices; Enter opens one, Esc gives up."""

    def __init__(self, bundled: list[Path], yours: list[Path], yours_dir: Path) -> None:
        super().__init__()
        self._choices: dict[str, Choice] = {"new": Choice(None)}
        self._choices |= {f"bundled-{i}": Choice(path, template=True) for i, path in enumerate(bundled)}
        self._choices |= {f"yours-{i}": Choice(path) for i, path in enumerate(yours)}
        self._bundled = bundled
        self._yours = yours
        self._yours_dir = yours_dir

    def compose(self) -> ComposeResult:
        options: list[Option] = [Option(Text("+ New empty team", style="bold"), id="new")]
        options.append(Option(Text("Examples (open as a copy)", style="dim italic"), disabled=True))
        options += [Option(f"  {path.name}", id=f"bundled-{i}") for i, path in enumerate(self._bundled)]
        options.append(Option(Text(f"Your configs ({shown_path(self._yours_dir)})", style="dim italic"), disabled=True))
        options += [Option(f"  {path.name}", id=f"yours-{i}") for i, path in enumerate(self._yours)]
        if not self._yours:
            options.append(Option(Text("  none yet: Save As puts new ones here", style="dim"), disabled=True))
        with Vertical(classes="dialog-box"):
            yield Label("Open a config", classes="dialog-title")
            yield OptionList(*options, id="choices")
            yield Static("Enter opens · Esc cancels", classes="note")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._choices[event.option.id or "new"])
