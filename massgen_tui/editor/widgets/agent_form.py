"""The agents part of the form: the list of agents and the fields of the selected one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from massgen_tui.config import PROVIDERS
from massgen_tui.config.model import CLI_FAMILIES
from massgen_tui.config.schema import PERMISSION_MODES
from massgen_tui.editor.fields import (
    AGENT_FIELDS,
    CLAUDE_CODE_FIELDS,
    LOCAL_MODEL_FIELDS,
    NOT_CLI_FIELDS,
    REMOTE_MODEL_FIELDS,
    Field,
)
from massgen_tui.editor.keys import KeyStatus, preset_of
from massgen_tui.editor.models import CLAUDE_CODE_TOOLS, suggestions_for
from massgen_tui.editor.widgets.form_values import dig, field_row, set_content, show_values


class AgentList(OptionList):
    """The team's agents, one line each: key status, id, backend type and model."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_agent", "Add agent", id="editor.add_agent"),
        Binding("d", "screen.duplicate_agent", "Duplicate", id="editor.duplicate_agent"),
        Binding("x,delete", "screen.remove_agent", "Remove", id="editor.remove_agent"),
        Binding("shift+up", "screen.move_agent(-1)", "Move up", id="editor.move_agent_up"),
        Binding("shift+down", "screen.move_agent(1)", "Move down", id="editor.move_agent_down"),
        Binding("k", "screen.set_api_key", "API key", id="editor.api_key"),
    ]

    def show(self, rows: list[Text], selected: int | None) -> None:
        """Show ``rows``, highlighting ``selected``; a list of the same length is updated in place."""
        if len(rows) == self.option_count:
            for index, row in enumerate(rows):
                if self.get_option_at_index(index).prompt != row:
                    self.replace_option_prompt_at_index(index, row)
        else:
            self.set_options(Option(row) for row in rows)
        if selected is not None and self.highlighted != selected:
            self.highlighted = selected


def agent_row(agent: Mapping[str, Any], position: int, key: KeyStatus) -> Text:
    """``✓ gpt  openai · gpt-5-mini`` (``✗`` when the API key is missing)."""
    backend = _backend_of(agent)
    mark = ("✓", "green") if key.available else ("✗", "red")
    agent_id = agent.get("id")
    name = str(agent_id) if agent_id not in (None, "") else f"(agent {position + 1})"
    kind = backend.get("type") or "?"
    model = backend.get("model") or "?"
    return Text.assemble(mark, " ", (name, "bold"), f"  {kind} · {model}")


class McpList(OptionList):
    """The selected agent's MCP servers; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_mcp_server", "Add server", id="editor.add_mcp_server"),
        Binding("x,delete", "screen.remove_mcp_server", "Remove server", id="editor.remove_mcp_server"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summaries: list[str] = []

    def show(self, summaries: list[str]) -> None:
        """Show one line per server (unchanged lists are left alone)."""
        if summaries == self.summaries:
            return
        self.summaries = summaries
        highlighted = self.highlighted
        self.set_options(Option(Text(summary)) for summary in summaries)
        if summaries:
            self.highlighted = min(highlighted or 0, len(summaries) - 1)


def _backend_of(agent: Mapping[str, Any]) -> Mapping[str, Any]:
    """The agent's ``backend`` mapping (empty when it is missing or not a mapping)."""
    backend = agent.get("backend")
    return backend if isinstance(backend, Mapping) else {}


def system_message_path(agent: Mapping[str, Any]) -> tuple[str, ...]:
    """Where the agent's system message is written (MassGen also reads it from the backend)."""
    backend = agent.get("backend")
    if "system_message" not in agent and isinstance(backend, Mapping) and "system_message" in backend:
        return ("backend", "system_message")
    return ("system_message",)


def agent_field_path(field: Field, agent: Mapping[str, Any]) -> tuple[str | int, ...]:
    """The key path (relative to the agent) ``field`` edits."""
    return system_message_path(agent) if field.path == ("system_message",) else field.path



class AgentForm(Vertical):
    """The selected agent's settings."""

    def compose(self) -> ComposeResult:
        types = [(name, name) for name in PROVIDERS]
        yield field_row("id", Input(id="agent-id", compact=True))
        yield field_row("backend type", Select(types, prompt="(from the model name)", id="agent-type", compact=True))
        yield field_row("model", Input(id="agent-model", compact=True, suggester=SuggestFromList([])))
        yield Static(id="model-hint", classes="hint")
        yield field_row("base URL", Input(id="agent-base-url", compact=True))
        yield field_row("temperature", Input(id="agent-temperature", type="number", compact=True))
        yield field_row("max tokens", Input(id="agent-max-tokens", type="integer", compact=True))
        yield field_row("system message", TextArea(id="agent-system-message", soft_wrap=True, compact=True))
        yield field_row("tools", Checkbox("web search", id="agent-web-search", compact=True),
                        Checkbox("code execution", id="agent-code-execution", compact=True))
        yield field_row("decisions", Checkbox("in JSON, not tool calls", id="agent-structured", compact=True))
        claude_code_rows = (
            field_row("permissions", Select([(mode, mode) for mode in PERMISSION_MODES], prompt="(acceptEdits)",
                                            id="agent-permission-mode", compact=True)),
            field_row("allowed tools", Input(id="agent-allowed-tools", placeholder="comma-separated", compact=True)),
            field_row("disallowed tools", Input(id="agent-disallowed-tools", placeholder="comma-separated",
                                                compact=True)),
            Static(f"Claude Code tools: {', '.join(CLAUDE_CODE_TOOLS)}", id="tools-hint", classes="hint"),
        )
        for row in claude_code_rows:
            row.display = False  # shown for a claude_code agent only
            yield row
        yield field_row("model file", Input(id="agent-model-path", placeholder="the embedded SmolLM2-135M",
                                            compact=True))
        yield field_row("context", Input(id="agent-n-ctx", type="integer", placeholder="2048", compact=True))
        yield field_row("threads", Input(id="agent-n-threads", type="integer", placeholder="all cores",
                                         compact=True))
        yield field_row("API key", Static(id="key-status"), Button("Set…", id="set-key", compact=True))
        yield Label("MCP servers  (a add · Enter edit · x remove)", classes="field-label wide")
        yield McpList(id="mcp-list")

    def show(self, agent: Mapping[str, Any], key: KeyStatus, servers: list[str], *, values: bool = True) -> None:
        """Show ``agent`` as written; ``values=False`` refreshes only what is derived from it."""
        if values:
            show_values(self, AGENT_FIELDS, lambda field: dig(agent, agent_field_path(field, agent)))
        preset = preset_of(_backend_of(agent))
        local = preset is not None and preset.family == "llamacpp"  # a GGUF file run in-process
        for widget_id in LOCAL_MODEL_FIELDS:
            self._show_row(widget_id, local)
        for widget_id in REMOTE_MODEL_FIELDS:
            self._show_row(widget_id, not local)
        cli = preset is not None and preset.family in CLI_FAMILIES  # a coding agent with its own tool loop
        for widget_id in NOT_CLI_FIELDS:
            self._show_row(widget_id, not cli and not (local and widget_id in REMOTE_MODEL_FIELDS))
        claude_code = preset is not None and preset.family == "claude_code"
        for widget_id in CLAUDE_CODE_FIELDS:
            self._show_row(widget_id, claude_code)
        self.query_one("#tools-hint").display = claude_code
        suggested = suggestions_for(preset.type if preset else None)
        model = self.query_one("#agent-model", Input)
        model.suggester = SuggestFromList(suggested, case_sensitive=False)
        hint = [preset.label] if preset else []
        hint += [f"e.g. {', '.join(suggested[:3])} (→ completes)"] if suggested else []
        set_content(self.query_one("#model-hint", Static), "; ".join(hint))
        base_url = self.query_one("#agent-base-url", Input)
        base_url.placeholder = (preset.base_url or "provider default") if preset else ""
        status = self.query_one("#key-status", Static)
        set_content(status, key.text.removeprefix("API key: "))
        status.set_class(not key.available, "-missing")
        self.query_one(McpList).show(servers)

    def _show_row(self, widget_id: str, shown: bool) -> None:
        """Show or hide the form row (label and inputs) that holds widget ``widget_id``."""
        row = self.query_one(f"#{widget_id}").parent
        assert row is not None  # every field widget is mounted in its field_row
        row.display = shown
