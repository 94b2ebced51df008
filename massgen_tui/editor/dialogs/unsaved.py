"""The warning shown before leaving the editor with unsaved changes."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from massgen_tui.editor.dialogs.base import Dialog

Answer = Literal["save", "discard"]


class UnsavedChangesDialog(Dialog[Answer]):
    """Save, discard, or stay (Esc, result ``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "answer('save')", "Save", id="editor.unsaved.save"),
        Binding("d", "answer('discard')", "Discard", id="editor.unsaved.discard"),
    ]

    def __init__(self, name: str, leaving: str, discard_label: str = "Discard changes") -> None:
        super().__init__()
        self._name = name
        self._leaving = leaving
        self._discard_label = discard_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Unsaved changes", classes="dialog-title")
            yield Static(f"{self._name} has changes that are not saved. Save them before {self._leaving}?",
                         classes="note -warning")
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", id="save", variant="primary")
                yield Button(f"{self._discard_label} (d)", id="discard", variant="error")
                yield Button("Stay (Esc)", id="stay")

    def action_answer(self, answer: Answer) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "stay":
            self.dismiss(None)
        else:
            self.dismiss("save" if event.button.id == "save" else "discard")
