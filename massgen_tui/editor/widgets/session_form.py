"""The session part of the form: time budget, answer cap and UI settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Select

from massgen_tui.config.schema import DISPLAY_TYPES
from massgen_tui.editor.fields import SESSION_FIELDS
from massgen_tui.editor.widgets.form_values import dig, field_row, show_values


class SessionForm(Vertical):
    """``timeout_settings``, ``orchestrator.max_new_answers_per_agent`` and ``ui``."""

    def compose(self) -> ComposeResult:
        yield field_row("timeout (s)", Input(id="session-timeout", type="number", placeholder="1800", compact=True))
        yield field_row("answers/agent", Input(id="session-max-answers", type="integer", placeholder="unlimited",
                                          compact=True))
        yield field_row("display type", Select([(name, name) for name in DISPLAY_TYPES], prompt="(default)",
                                          id="session-display", compact=True))
        yield field_row("session logs", Checkbox("write a log of each session", id="session-logging", compact=True))

    def show(self, data: Mapping[str, Any]) -> None:
        """Show the settings written in ``data`` (the whole document)."""
        show_values(self, SESSION_FIELDS, lambda field: dig(data, field.path))
