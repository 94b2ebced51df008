"""Save As: where to write the config (same format: YAML stays YAML, JSON stays JSON)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from massgen_tui.editor.dialogs.base import Dialog
from massgen_tui.editor.files import backup_path
from massgen_tui.paths import shown_path


def target_problem(path: Path, *, as_json: bool) -> str | None:
    """Why ``path`` cannot take the config, or ``None``."""
    suffixes = (".json",) if as_json else (".yaml", ".yml")
    if path.suffix.lower() not in suffixes:
        return f"the name must end in {' or '.join(suffixes)} (the format stays as it is)"
    if path.is_dir():
        return "that is a folder"
    return None


class SaveAsDialog(Dialog[Path]):
    """An input for the path; Enter saves, Esc cancels."""

    def __init__(self, suggested: Path, *, as_json: bool) -> None:
        super().__init__()
        self._suggested = suggested
        self._as_json = as_json

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Save as", classes="dialog-title")
            yield Input(shown_path(self._suggested), id="save-path")
            yield Static(id="save-note", classes="note")
            yield Static("Enter saves · Esc cancels", classes="note")

    def on_mount(self) -> None:
        self._explain(self._suggested)

    def _target(self, text: str) -> Path:
        return Path(text.strip()).expanduser()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._explain(self._target(event.value))

    def _explain(self, path: Path) -> None:
        note = self.query_one("#save-note", Static)
        problem = target_problem(path, as_json=self._as_json)
        if problem:
            note.update(problem)
        elif path.exists():
            note.update(f"{path.name} exists: it will be replaced (the old version is kept as "
                        f"{backup_path(path).name})")
        else:
            note.update("")
        note.set_class(bool(problem) or path.exists(), "-warning")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        path = self._target(event.value)
        if event.value.strip() and target_problem(path, as_json=self._as_json) is None:
            self.dismiss(path)
