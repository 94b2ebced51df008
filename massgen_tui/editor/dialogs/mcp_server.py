"""Adding or editing one MCP server of an agent."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from massgen_tui.config.schema import MCP_SERVER_TYPES
from massgen_tui.editor.dialogs.base import Dialog
from massgen_tui.editor.mcp import ServerFields

_NAME = re.compile(r"[A-Za-z0-9_-]+")


class McpServerDialog(Dialog[ServerFields]):
    """Name, type, and the command and arguments (stdio) or URL (streamable-http)."""

    def __init__(self, fields: ServerFields, *, taken: set[str]) -> None:
        super().__init__()
        self._fields = fields
        self._taken = taken

    def compose(self) -> ComposeResult:
        fields = self._fields
        with Vertical(classes="dialog-box"):
            yield Label("MCP server", classes="dialog-title")
            for label, widget in (
                ("name", Input(fields.name, id="mcp-name")),
                ("type", Select([(t, t) for t in MCP_SERVER_TYPES], value=fields.type, allow_blank=False,
                                id="mcp-type")),
                ("command", Input(fields.command, id="mcp-command", placeholder="npx")),
                ("arguments", Input(fields.args, id="mcp-args", placeholder="-y @modelcontextprotocol/server-x")),
                ("URL", Input(fields.url, id="mcp-url", placeholder="http://localhost:8080/mcp")),
            ):
                with Horizontal(classes="field-row", id=f"row-{widget.id}"):
                    yield Label(label, classes="field-label")
                    yield widget
            yield Static(id="mcp-problem", classes="note -warning")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="mcp-ok", variant="primary")
                yield Button("Cancel (Esc)", id="mcp-cancel")

    def on_mount(self) -> None:
        self._show_type(self._fields.type)

    @on(Select.Changed, "#mcp-type")
    def _type_changed(self, event: Select.Changed) -> None:
        self._show_type(str(event.value))

    def _show_type(self, kind: str) -> None:
        stdio = kind == "stdio"
        self.query_one("#row-mcp-command").display = stdio
        self.query_one("#row-mcp-args").display = stdio
        self.query_one("#row-mcp-url").display = not stdio

    @on(Input.Submitted)
    @on(Button.Pressed, "#mcp-ok")
    def _submit(self) -> None:
        fields = ServerFields(
            name=self.query_one("#mcp-name", Input).value.strip(),
            type=str(self.query_one("#mcp-type", Select).value),
            command=self.query_one("#mcp-command", Input).value,
            args=self.query_one("#mcp-args", Input).value,
            url=self.query_one("#mcp-url", Input).value,
        )
        problem = self.query_one("#mcp-problem", Static)
        if not _NAME.fullmatch(fields.name):
            problem.update("the name may only use letters, digits, '_' and '-'")
        elif fields.name in self._taken:
            problem.update(f"this agent already has a server named {fields.name!r}")
        else:
            self.dismiss(fields)

    @on(Button.Pressed, "#mcp-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
