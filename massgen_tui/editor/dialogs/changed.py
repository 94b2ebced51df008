"""The warning shown before saving over a file that changed on disk since the editor opened it."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from massgen_tui.editor.dialogs.base import Dialog

ChangedAnswer = Literal["reload", "overwrite", "save_as"]


class ChangedOnDiskDialog(Dialog[ChangedAnswer]):
    """Reload the file, overwrite it, save as another file, or cancel (Esc, result ``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "answer('reload')", "Reload", id="editor.changed.reload"),
        Binding("o", "answer('overwrite')", "Overwrite", id="editor.changed.overwrite"),
        Binding("a", "answer('save_as')", "Save as", id="editor.changed.save_as"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Changed on disk", classes="dialog-title")
            yield Static(f"{self._name} changed on disk since it was opened. Saving now would overwrite "
                         "those changes. Reload it (your edits are lost), overwrite it, or save as another file?",
                         classes="note -warning", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Reload (r)", id="reload")
                yield Button("Overwrite (o)", id="overwrite", variant="error")
                yield Button("Save as (a)", id="save_as", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def action_answer(self, answer: ChangedAnswer) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = event.button.id
        if answer in ("reload", "overwrite", "save_as"):
            self.dismiss(answer)  # type: ignore[arg-type]
        else:
            self.dismiss(None)
