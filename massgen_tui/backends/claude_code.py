"""``type: claude_code``: a Claude Code agent run through ``claude-agent-sdk`` (the ``claude-code`` extra).

Each call starts the bundled Claude Code CLI in the agent's workspace with the conversation as
its prompt. Claude Code runs its own tools (Read, Write, Bash, ...; each shows as a tool call and
its result); the workflow tools ``new_answer`` and ``vote`` are in-process SDK MCP tools. When
the model calls one, the run is interrupted right there (the tool never returns, so the CLI makes
no further model call) and the call ends the reply like any backend's tool call. Permission
prompts never wait for a person: ``permission_mode`` decides, anything else is denied.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncGenerator
from typing import Any

from massgen_tui.backends import cli_agent
from massgen_tui.backends.base import (
    Backend,
    Done,
    Message,
    ProviderError,
    ReasoningChunk,
    StreamEvent,
    TextChunk,
    ToolCall,
    ToolResult,
    ToolSpec,
    UsageReport,
    is_transient_status,
)
from massgen_tui.backends.workflow_names import WORKFLOW_TOOLS
from massgen_tui.config.model import BackendConfig, McpServerConfig

MISSING_EXTRA = (
    "the claude_code backend needs the claude-code extra: pip install 'massgen-tui[claude-code]' "
    "(it brings claude-agent-sdk, which bundles the Claude Code CLI)"
)
#: The in-process MCP server holding the workflow tools; Claude Code names its tools mcp__<server>__<tool>.
WORKFLOW_SERVER = "massgen"
_PREFIX = f"mcp__{WORKFLOW_SERVER}__"
#: Environment for every CLI run: no telemetry or update checks, and every tool offered directly.
_QUIET_ENV = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_AUTOUPDATER": "1",
    "ENABLE_TOOL_SEARCH": "false",
}
_DEFAULT_PERMISSION_MODE = "acceptEdits"


class ClaudeCodeBackend(Backend):
    """Claude Code through ``ClaudeSDKClient``, one CLI run per call."""

    family = "claude_code"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        try:
            import claude_agent_sdk
        except ImportError:
            raise ProviderError(MISSING_EXTRA) from None
        self._sdk = claude_agent_sdk
        self.idle_timeout = cli_agent.idle_timeout(config)

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        sdk = self._sdk
        system, prompt = cli_agent.split_prompt(messages)
        workflow = [t for t in tools if t.name in WORKFLOW_TOOLS]
        stderr: list[str] = []
        client = sdk.ClaudeSDKClient(self._options(system, workflow, stderr))
        run = _Run(workflow_names={t.name for t in workflow})
        pid: int | None = None
        finished = False
        try:
            try:
                await asyncio.wait_for(client.connect(), self.idle_timeout)
                pid = _child_pid(client)
                await client.query(prompt)
                messages_in = client.receive_messages().__aiter__()
                while True:
                    try:
                        message = await asyncio.wait_for(messages_in.__anext__(), self.idle_timeout)
                    except StopAsyncIteration:
                        raise ProviderError(_exit_message("the Claude Code CLI stopped before its result", stderr)) \
                            from None
                    for event in run.read(sdk, message):
                        yield event
                    if run.workflow_called and not run.interrupted:
                        run.interrupted = True
                        await client.interrupt()
                    if isinstance(message, sdk.ResultMessage):
                        break
            except asyncio.TimeoutError:
                raise ProviderError(
                    f"the Claude Code CLI sent nothing for {self.idle_timeout:g}s (idle_timeout_seconds); stopped it"
                ) from None
            except sdk.CLINotFoundError as exc:
                raise ProviderError(f"the Claude Code CLI was not found ({exc}); reinstall the extra: "
                                    "pip install --force-reinstall 'massgen-tui[claude-code]'") from None
            except (sdk.ProcessError, sdk.CLIConnectionError) as exc:
                raise ProviderError(_exit_message(f"the Claude Code CLI failed: {exc}", stderr)) from None
            finished = True
        finally:
            await _close(client, pid, graceful=finished)
        if run.error is not None:
            raise run.error
        yield run.usage()
        yield Done(Message(role="assistant", content="".join(run.text), tool_calls=run.calls),
                   stop_reason="tool_use" if run.calls else "end_turn")

    def _options(self, system: str, workflow: list[ToolSpec], stderr: list[str]) -> Any:
        sdk, config, extra = self._sdk, self.config, self.config.extra
        servers: dict[str, Any] = {s.name: _mcp_server(s) for s in config.cli_mcp_servers}
        allowed = list(config.allowed_tools or [])
        if workflow:
            servers[WORKFLOW_SERVER] = sdk.create_sdk_mcp_server(
                WORKFLOW_SERVER, tools=[_workflow_tool(sdk, spec) for spec in workflow]
            )
        mode = str(extra.get("permission_mode") or _DEFAULT_PERMISSION_MODE)
        if workflow and mode == "bypassPermissions":
            allowed += [_PREFIX + spec.name for spec in workflow]
        appended = "\n\n".join(p for p in (system, str(extra.get("append_system_prompt") or "")) if p)
        custom = extra.get("system_prompt")
        system_prompt: Any = (f"{custom}\n\n{appended}".strip() if custom
                              else {"type": "preset", "preset": "claude_code", "append": appended})
        env = dict(_QUIET_ENV)
        if config.base_url:
            env["ANTHROPIC_BASE_URL"] = config.base_url
        if config.api_key:
            env["ANTHROPIC_API_KEY"] = config.api_key
        thinking = extra.get("max_thinking_tokens")
        return sdk.ClaudeAgentOptions(
            cwd=str(cli_agent.workspace(config)),
            model=config.model or None,
            system_prompt=system_prompt,
            allowed_tools=allowed,
            disallowed_tools=[str(t) for t in (extra.get("disallowed_tools") or [])] + list(config.exclude_tools or []),
            mcp_servers=servers,
            strict_mcp_config=True,
            permission_mode=mode,
            can_use_tool=None if mode == "bypassPermissions" else _deny_prompts(
                sdk, mode, tuple(f"mcp__{name}__" for name in (WORKFLOW_SERVER, *servers))),
            max_thinking_tokens=int(thinking) if isinstance(thinking, int) else None,
            include_partial_messages=True,
            env=env,
            stderr=lambda line: _keep_tail(stderr, line),
        )


class _Run:
    """One CLI run's state: what was streamed, the tools in flight, the workflow calls, the result."""

    def __init__(self, workflow_names: set[str]) -> None:
        self.workflow_names = workflow_names
        self.text: list[str] = []
        self.calls: list[ToolCall] = []
        self.tools: dict[str, str] = {}
        self.streamed: set[str] = set()
        self.workflow_called = False
        self.interrupted = False
        self.result: Any = None
        self.assistant_usage = UsageReport()
        self.error: ProviderError | None = None

    def read(self, sdk: Any, message: Any) -> list[StreamEvent]:
        """The stream events one SDK message stands for."""
        if isinstance(message, sdk.StreamEvent):
            return self._partial(message.event)
        if isinstance(message, sdk.AssistantMessage):
            return self._assistant(sdk, message)
        if isinstance(message, sdk.UserMessage) and isinstance(message.content, list):
            return [self._tool_result(block) for block in message.content
                    if isinstance(block, sdk.ToolResultBlock) and block.tool_use_id in self.tools]
        if isinstance(message, sdk.ResultMessage):
            self.result = message
            if message.is_error and not self.interrupted:
                why = "; ".join(message.errors or []) or message.result or message.subtype
                status = message.api_error_status
                self.error = ProviderError(f"Claude Code: {why}", status=status,
                                           transient=bool(status and is_transient_status(status)))
        return []

    def _partial(self, event: dict[str, Any]) -> list[StreamEvent]:
        if event.get("type") == "message_start":
            self.streamed.add(str((event.get("message") or {}).get("id")))
        delta = event.get("delta") or {}
        if event.get("type") != "content_block_delta" or self.workflow_called:
            return []
        if delta.get("type") == "text_delta" and delta.get("text"):
            self.text.append(delta["text"])
            return [TextChunk(delta["text"])]
        if delta.get("type") == "thinking_delta" and delta.get("thinking"):
            return [ReasoningChunk(delta["thinking"])]
        return []

    def _assistant(self, sdk: Any, message: Any) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        usage = message.usage or {}
        if message.message_id not in self.streamed:  # no partial events came for it: take the whole blocks
            for block in message.content:
                if isinstance(block, sdk.TextBlock) and block.text:
                    self.text.append(block.text)
                    events.append(TextChunk(block.text))
                elif isinstance(block, sdk.ThinkingBlock) and block.thinking:
                    events.append(ReasoningChunk(block.thinking))
        self.assistant_usage.output_tokens = max(self.assistant_usage.output_tokens, int(usage.get("output_tokens", 0)))
        for block in message.content:
            if not isinstance(block, sdk.ToolUseBlock):
                continue
            name = block.name.removeprefix(_PREFIX) if block.name.startswith(_PREFIX) else block.name
            call = ToolCall(id=block.id, name=name, arguments=dict(block.input or {}))
            if block.name.startswith(_PREFIX) and name in self.workflow_names:
                self.workflow_called = True
                self.calls.append(call)
            else:
                self.tools[block.id] = block.name
            events.append(call)
        return events

    def _tool_result(self, block: Any) -> ToolResult:
        content = block.content
        if isinstance(content, list):
            content = "\n".join(str(item.get("text", "")) for item in content if isinstance(item, dict))
        return ToolResult(id=block.tool_use_id, name=self.tools.pop(block.tool_use_id), output=str(content or ""),
                          is_error=bool(block.is_error))

    def usage(self) -> UsageReport:
        """The run's usage from the result (all model calls of the run), with the CLI's own cost."""
        result = self.result
        usage = (result.usage if result is not None else None) or {}
        if not usage:
            return self.assistant_usage
        cached = int(usage.get("cache_read_input_tokens") or 0)
        written = int(usage.get("cache_creation_input_tokens") or 0)
        return UsageReport(
            input_tokens=int(usage.get("input_tokens") or 0) + cached + written,
            output_tokens=int(usage.get("output_tokens") or 0),
            reasoning_tokens=int((usage.get("output_tokens_details") or {}).get("thinking_tokens") or 0),
            cached_tokens=cached,
            cost=result.total_cost_usd,
        )


def _workflow_tool(sdk: Any, spec: ToolSpec) -> Any:
    """A workflow tool whose handler never returns: the run is interrupted once the model calls it."""

    async def handler(arguments: dict[str, Any]) -> dict[str, Any]:
        await asyncio.Event().wait()
        return {"content": [{"type": "text", "text": "recorded"}]}  # pragma: no cover - never reached

    return sdk.tool(spec.name, spec.description, spec.parameters)(handler)


def _deny_prompts(sdk: Any, mode: str, allowed_prefixes: tuple[str, ...]) -> Any:
    """``can_use_tool``: the workflow tools and the configured MCP servers' tools are allowed; any other
    tool that would ask a person is denied, since nobody is there to answer."""

    async def decide(tool_name: str, arguments: dict[str, Any], context: Any) -> Any:
        if tool_name.startswith(allowed_prefixes):
            return sdk.PermissionResultAllow()
        return sdk.PermissionResultDeny(
            message=f"{tool_name} needs permission, which a massgen-tui agent cannot ask for "
                    f"(permission_mode: {mode}); add it to allowed_tools or set permission_mode: bypassPermissions",
        )

    return decide


def _mcp_server(server: McpServerConfig) -> dict[str, Any]:
    """A config's MCP server in Claude Code's form."""
    if server.type == "stdio":
        entry: dict[str, Any] = {"type": "stdio", "command": server.command or "", "args": list(server.args)}
        if server.env:
            entry["env"] = dict(server.env)
        return entry
    entry = {"type": "http", "url": server.url or ""}
    if server.headers:
        entry["headers"] = dict(server.headers)
    return entry


def _child_pid(client: Any) -> int | None:
    """The CLI's process id (the SDK keeps its process on the transport; there is no public accessor)."""
    process = getattr(getattr(client, "_transport", None), "_process", None)
    return getattr(process, "pid", None)


async def _close(client: Any, pid: int | None, *, graceful: bool) -> None:
    """Disconnect, ending the CLI first: a finished run's with SIGTERM (the SDK would wait 5 s for it to
    exit by itself), a failed or cancelled one's with SIGKILL, so nothing is left behind."""
    cli_agent.stop_process(pid, signal.SIGTERM if graceful else signal.SIGKILL)
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await asyncio.wait_for(client.disconnect(), 10)
    cli_agent.stop_process(_alive(pid))


def _alive(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return None if stat.read().rsplit(")", 1)[-1].split()[0] == "Z" else pid
    except OSError:
        return None


def _keep_tail(lines: list[str], line: str) -> None:
    lines.append(line)
    del lines[:-20]


def _exit_message(what: str, stderr: list[str]) -> str:
    tail = " | ".join(line.strip() for line in stderr[-5:] if line.strip())
    return f"{what} (stderr: {tail})" if tail else what
