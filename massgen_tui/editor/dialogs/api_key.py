"""Typing an API key: stored in the user's .env under a variable the config refers to as ``${VAR}``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from massgen_tui.editor.dialogs.base import Dialog
from massgen_tui.editor.keys import is_variable_name


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """A typed key; ``in_file`` means the user asked for the key itself in the config."""

    variable: str
    value: str
    in_file: bool = False


class ApiKeyDialog(Dialog[KeyEntry]):
    """The variable name, the key (masked), and a switch to write the key into the config instead."""

    def __init__(self, agent_id: str, variable: str, dotenv: Path, *, in_environment: frozenset[str]) -> None:
        """``in_environment``: variables set in the process environment, which a ``.env`` cannot override."""
        super().__init__()
        self._agent_id = agent_id
        self._variable = variable
        self._dotenv = dotenv
        self._in_environment = in_environment

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(f"API key for {self._agent_id}", classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("variable", classes="field-label")
                yield Input(self._variable, id="key-variable")
            with Horizontal(classes="field-row"):
                yield Label("key", classes="field-label")
                yield Input(password=True, id="key-value", placeholder="paste the key")
            yield Static(f"Stored in {self._dotenv}; the config gets api_key: ${{VARIABLE}}.", classes="note",
                         id="key-where")
            yield Checkbox("write the key itself into the config instead", id="key-in-file")
            yield Static("Writing the key itself into the config is not recommended: anyone who sees the "
                         "file sees the key.", classes="note")
            yield Static(id="key-problem", classes="note -warning")
            with Horizontal(classes="buttons"):
                yield Button("Save key", id="save-key", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#key-value", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save-key")
    def _submit(self) -> None:
        variable = self.query_one("#key-variable", Input).value.strip()
        value = self.query_one("#key-value", Input).value.strip()
        in_file = self.query_one("#key-in-file", Checkbox).value
        problem = self.query_one("#key-problem", Static)
        if not value:
            problem.update("type or paste the key")
        elif not in_file and not is_variable_name(variable):
            problem.update("the variable name may use letters, digits and _ (not starting with a digit)")
        elif not in_file and variable in self._in_environment:
            problem.update(f"{variable} is set in the environment, which wins over .env: choose another name")
        else:
            self.dismiss(KeyEntry(variable, value, in_file))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
