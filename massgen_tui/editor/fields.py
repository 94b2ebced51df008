"""The form's fields: which widget edits which key, and how its text becomes a value in the file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from massgen_tui.config.keypath import KeyPath

Kind = Literal["text", "multiline", "number", "integer", "choice", "flag", "list"]


@dataclass(frozen=True, slots=True)
class Field:
    """A form widget bound to a key path (relative to the agent for agent fields).

    ``default`` is what a flag shows when the key is absent; ``off_removes`` makes switching a
    flag off remove the key instead of writing ``false``.
    """

    path: KeyPath
    kind: Kind
    default: Any = None
    off_removes: bool = False


#: Fields of the selected agent, by widget id.
AGENT_FIELDS = {
    "agent-id": Field(("id",), "text"),
    "agent-type": Field(("backend", "type"), "choice"),
    "agent-model": Field(("backend", "model"), "text"),
    "agent-base-url": Field(("backend", "base_url"), "text"),
    "agent-temperature": Field(("backend", "temperature"), "number"),
    "agent-max-tokens": Field(("backend", "max_tokens"), "integer"),
    "agent-system-message": Field(("system_message",), "multiline"),
    "agent-web-search": Field(("backend", "enable_web_search"), "flag", default=False, off_removes=True),
    "agent-code-execution": Field(("backend", "enable_code_execution"), "flag", default=False, off_removes=True),
    "agent-structured": Field(("backend", "structured_output"), "flag", default=False, off_removes=True),
    "agent-model-path": Field(("backend", "model_path"), "text"),
    "agent-n-ctx": Field(("backend", "n_ctx"), "integer"),
    "agent-n-threads": Field(("backend", "n_threads"), "integer"),
    "agent-permission-mode": Field(("backend", "permission_mode"), "choice"),
    "agent-allowed-tools": Field(("backend", "allowed_tools"), "list"),
    "agent-disallowed-tools": Field(("backend", "disallowed_tools"), "list"),
}

#: Agent fields shown only for the in-process ``llamacpp`` backend, and those it has no use for
#: (it always decides in JSON, and runs no server and no provider tools).
LOCAL_MODEL_FIELDS = ("agent-model-path", "agent-n-ctx", "agent-n-threads")
REMOTE_MODEL_FIELDS = ("agent-base-url", "agent-web-search", "agent-structured")
#: Fields only a Claude Code agent reads, and those no CLI agent (claude_code, codex) has a use for
#: (the CLI picks its sampling and reply length; codex always decides in JSON, claude_code with tools).
CLAUDE_CODE_FIELDS = ("agent-permission-mode", "agent-allowed-tools", "agent-disallowed-tools")
NOT_CLI_FIELDS = ("agent-temperature", "agent-max-tokens", "agent-structured")

#: Session-wide fields, by widget id (paths from the top of the file).
SESSION_FIELDS = {
    "session-timeout": Field(("timeout_settings", "orchestrator_timeout_seconds"), "number"),
    "session-max-answers": Field(("orchestrator", "max_new_answers_per_agent"), "integer"),
    "session-display": Field(("ui", "display_type"), "choice"),
    "session-logging": Field(("ui", "logging_enabled"), "flag", default=True),
}


def value_from_widget(field: Field, raw: Any) -> Any:
    """What the file should hold for a widget's value; ``None`` removes the key.

    Text that is not a valid number is written as typed, so the validator can point at it.
    """
    if field.kind == "flag":
        return None if field.off_removes and not raw else bool(raw)
    if field.kind == "choice":
        return raw if isinstance(raw, str) and raw else None
    if field.kind == "multiline":
        return raw if raw.strip() else None
    if field.kind == "list":
        items = [item.strip() for item in str(raw).split(",") if item.strip()]
        return items or None
    text = str(raw).strip()
    if not text:
        return None
    if field.kind == "integer":
        return _integer(text)
    if field.kind == "number":
        number = _integer(text)
        return number if not isinstance(number, str) else _float(text)
    return text


def widget_value(field: Field, written: Any) -> Any:
    """What a widget shows for the value written in the file."""
    if field.kind == "flag":
        return written if isinstance(written, bool) else field.default
    if field.kind == "choice":
        return written if isinstance(written, str) else None
    if written is None:
        return ""
    if field.kind == "list" and isinstance(written, list):
        return ", ".join(str(item) for item in written)
    if isinstance(written, bool):
        return "true" if written else "false"
    return str(written)


def _integer(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _float(text: str) -> float | str:
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text
