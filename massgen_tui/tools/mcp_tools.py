"""MCP tools for the coordinator: every agent's configured servers behind the ``ExternalTools`` protocol.

Each agent gets its own connection to each server its backend configures (a stdio server runs
once per agent, as in MassGen, so agents stay independent). Tools are offered as
``mcp__{server}__{tool}`` after ``allowed_tools`` / ``exclude_tools``. A call is checked against
the tool's input schema before it goes out, and limited to the server's ``timeout``. Nothing here
raises into the coordinator: every failure is a tool error for the model, and a server that cannot
be reached is also reported on the bus (``AgentError`` with ``fatal=False``); after
:data:`MAX_CONSECUTIVE_FAILURES` such failures in a row its tools are withdrawn, with a ``Notice``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mcp_types
from jsonschema import SchemaError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from massgen_tui.backends.base import ToolCall, ToolSpec
from massgen_tui.config.model import AgentConfig, BackendConfig
from massgen_tui.events import types as ev
from massgen_tui.tools.external import ToolOutcome
from massgen_tui.tools.mcp_content import result_text
from massgen_tui.tools.mcp_servers import (
    START_TIMEOUT,
    McpServer,
    McpServerError,
    McpToolError,
)
from massgen_tui.tools.tool_names import PREFIX, blocked_reason, exposed_name

#: Seconds a tool call may take when its server sets no ``timeout``.
DEFAULT_CALL_TIMEOUT = 60.0
#: Failures in a row (no answer, connection lost) after which a server's tools are withdrawn.
MAX_CONSECUTIVE_FAILURES = 3


@dataclass(slots=True, frozen=True)
class StartFailure:
    """A server that did not start for an agent, and why."""

    agent_id: str
    server: str
    message: str


@dataclass(slots=True, eq=False)
class _Connection:
    """One agent's connection to one server, with its run of failures."""

    agent_id: str
    backend: BackendConfig
    server: McpServer
    failures: int = 0
    withdrawn: bool = False

    @property
    def timeout(self) -> float:
        return self.server.config.timeout or DEFAULT_CALL_TIMEOUT


@dataclass(slots=True, eq=False)
class _Tool:
    """A tool as one agent sees it: its server's name for it, its spec, and why it is blocked (if it is)."""

    connection: _Connection
    name: str
    spec: ToolSpec
    blocked: str
    _validator: Validator | None = field(default=None, init=False)

    def argument_problem(self, arguments: dict[str, Any]) -> str:
        """What is wrong with ``arguments`` by the input schema, or ``""``."""
        if self._validator is None:
            schema = self.spec.parameters
            try:
                validator_for(schema).check_schema(schema)
            except SchemaError:
                return ""  # a schema we cannot use: the server checks the arguments itself
            self._validator = validator_for(schema)(schema)
        error = best_match(self._validator.iter_errors(arguments))
        if error is None:
            return ""
        message: str = error.message  # jsonschema ships no type hints (no py.typed): its values are Any
        return message + (f" (at {error.json_path})" if error.path else "")


class McpTools:
    """The MCP servers of every agent: :meth:`start`, then ``specs``/``call`` per agent, then :meth:`stop`."""

    def __init__(
        self,
        agents: Sequence[AgentConfig],
        *,
        publish: Callable[[ev.Event], object] = lambda event: None,
        redact: Callable[[str], str] = lambda text: text,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self._connections = [
            _Connection(agent.id, agent.backend, McpServer(server, start_timeout=start_timeout))
            for agent in agents
            for server in agent.backend.mcp_servers
        ]
        self._publish = publish
        self._redact = redact
        self._start_timeout = start_timeout
        self._tools: dict[str, dict[str, _Tool]] = {agent.id: {} for agent in agents}
        self._not_started: dict[tuple[str, str], str] = {}

    async def start(self) -> list[StartFailure]:
        """Start every server at once; those that fail are reported, their tools are not offered."""
        outcomes = await asyncio.gather(*(self._start_one(c) for c in self._connections), return_exceptions=True)
        failures = []
        for connection, outcome in zip(self._connections, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                message = self._redact(_start_error(connection, outcome))
                self._not_started[connection.agent_id, connection.server.name] = message
                failures.append(StartFailure(connection.agent_id, connection.server.name, message))
            else:
                self._add_tools(connection, outcome)
        return failures

    async def _start_one(self, connection: _Connection) -> list[mcp_types.Tool]:
        """Start one server, announcing it: starting (with its time limit), then ready or failed."""
        where = f"MCP server {connection.server.name!r} of {connection.agent_id}"
        self._publish(ev.Notice(message=f"{where}: starting (at most {self._start_timeout:g}s)"))
        started = time.monotonic()
        try:
            tools = await connection.server.start()
        except BaseException as exc:
            if isinstance(exc, Exception):
                reason = str(exc) if isinstance(exc, McpServerError) else f"internal error: {exc!r}"
                self._publish(ev.Notice(message=f"{where}: failed: {self._redact(reason)}", level="warning"))
            raise
        self._publish(ev.Notice(message=f"{where}: ready, {len(tools)} tool(s) in {time.monotonic() - started:.1f}s"))
        return tools

    def specs(self, agent_id: str) -> list[ToolSpec]:
        """The MCP tools offered to ``agent_id``."""
        return [
            tool.spec for tool in self._tools.get(agent_id, {}).values()
            if not tool.blocked and not tool.connection.withdrawn
        ]

    async def call(self, agent_id: str, call: ToolCall) -> ToolOutcome:
        """Run ``call`` on its server; every failure comes back as an ``is_error`` outcome."""
        tool = self._tools.get(agent_id, {}).get(call.name)
        if tool is None:
            return _error(f"Tool {call.name!r} is not available{self._missing_reason(agent_id, call.name)}.")
        connection = tool.connection
        if tool.blocked:
            return _error(f"Tool {call.name!r} is not available: {tool.blocked}.")
        if connection.withdrawn:
            return _error(f"Tool {call.name!r} is not available: its MCP server {connection.server.name!r} "
                          "failed repeatedly and is skipped for the rest of the session.")
        problem = call.parse_error or tool.argument_problem(call.arguments)
        if problem:
            return _error(f"Invalid arguments for {call.name}: {problem}. Nothing was run.")
        try:
            result = await connection.server.call(tool.name, call.arguments, connection.timeout)
        except McpToolError as exc:
            return _error(f"{call.name} failed: {exc}")
        except McpServerError as exc:
            return self._server_failed(connection, call.name, str(exc))
        connection.failures = 0
        return ToolOutcome(result_text(result), is_error=result.is_error)

    async def stop(self) -> None:
        """Stop every server (stdio processes end); safe to call more than once."""
        await asyncio.gather(*(c.server.stop() for c in self._connections))

    def _add_tools(self, connection: _Connection, tools: list[mcp_types.Tool]) -> None:
        table = self._tools[connection.agent_id]
        server = connection.server
        for tool in tools:
            name = exposed_name(server.name, tool.name)
            if name in table:
                continue  # two tool names that differ only in characters providers refuse: the first wins
            spec = ToolSpec(name=name, description=tool.description or tool.title or "", parameters=tool.input_schema)
            blocked = blocked_reason(server.config, connection.backend, tool.name)
            table[name] = _Tool(connection, tool.name, spec, blocked)

    def _missing_reason(self, agent_id: str, name: str) -> str:
        if name.startswith(PREFIX):
            server = name[len(PREFIX):].split("__", 1)[0]
            if (agent_id, server) in self._not_started:
                return f": {self._not_started[agent_id, server]}"
        return ""

    def _server_failed(self, connection: _Connection, tool: str, reason: str) -> ToolOutcome:
        """Count a failure to reach the server, report it, and withdraw the server after too many."""
        connection.failures += 1
        server = connection.server.name
        message = self._redact(f"MCP server {server!r}: {tool}: {reason}")
        self._publish(ev.AgentError(agent_id=connection.agent_id, message=message, fatal=False))
        if connection.failures >= MAX_CONSECUTIVE_FAILURES and not connection.withdrawn:
            connection.withdrawn = True
            self._publish(ev.Notice(
                message=f"MCP server {server!r} of {connection.agent_id} failed {connection.failures} times in a "
                        "row; its tools are skipped for the rest of the session.",
                level="warning",
            ))
        return _error(message)


def _start_error(connection: _Connection, error: BaseException) -> str:
    config = connection.server.config
    where = config.url if config.type == "streamable-http" else config.command
    reason = str(error) if isinstance(error, McpServerError) else f"internal error: {error!r}"
    return f"MCP server {config.name!r} ({where}) did not start: {reason}"


def _error(text: str) -> ToolOutcome:
    return ToolOutcome(text, is_error=True)
