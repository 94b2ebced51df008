"""``type: codex``: an OpenAI Codex agent run through the Codex CLI's JSON event stream (``codex exec --json``).

Each call runs ``codex exec`` once in the agent's workspace with the conversation as its prompt
(on stdin). Codex runs its own tools (shell commands, file changes, MCP tools; each shows as a
tool call and its result). It decides with JSON: the coordinator's decision schema goes to
``--output-schema`` (the config loader turns ``structured_output`` on for codex), so its final
message is the vote or the new answer. The CLI is the npm package ``@openai/codex``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path
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
)
from massgen_tui.config.model import BackendConfig, McpServerConfig

MISSING_CLI = "the codex backend needs the Codex CLI on PATH: npm install -g @openai/codex"
#: The variable the CLI reads the key from when the config gives a base_url (its own provider entry).
_KEY_VARIABLE = "MASSGEN_TUI_CODEX_API_KEY"
_OUTPUT_LIMIT = 4000


class CodexBackend(Backend):
    """The Codex CLI, one ``codex exec --json`` run per call."""

    family = "codex"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        found = shutil.which("codex")
        if found is None:
            raise ProviderError(MISSING_CLI)
        self.executable = found
        self.idle_timeout = cli_agent.idle_timeout(config)

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        system, prompt = cli_agent.split_prompt(messages)
        prompt = f"{system}\n\n{prompt}" if system else prompt
        with tempfile.TemporaryDirectory(prefix="massgen-codex-") as scratch:
            schema_file = None
            if output_schema is not None:
                schema_file = Path(scratch) / "schema.json"
                schema_file.write_text(json.dumps(output_schema), encoding="utf-8")
            process = await asyncio.create_subprocess_exec(
                *self.command(schema_file), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=self._env(), start_new_session=True, limit=1 << 24,
            )
            run = _Run()
            try:
                assert process.stdin and process.stdout and process.stderr
                process.stdin.write(prompt.encode())
                await process.stdin.drain()
                process.stdin.close()
                while True:
                    try:
                        line = await asyncio.wait_for(process.stdout.readline(), self.idle_timeout)
                    except asyncio.TimeoutError:
                        raise ProviderError(f"the Codex CLI sent nothing for {self.idle_timeout:g}s "
                                            "(idle_timeout_seconds); stopped it") from None
                    if not line:
                        break
                    for event in run.read(line):
                        yield event
                returncode = await process.wait()
                stderr = (await process.stderr.read()).decode(errors="replace")
            finally:
                if process.returncode is None:
                    cli_agent.stop_process(process.pid)
                    await process.wait()
        if run.failure or returncode != 0:
            tail = " | ".join(line for line in stderr.strip().splitlines()[-3:] if line.strip())
            why = run.failure or f"exited with status {returncode}" + (f" ({tail})" if tail else "")
            raise ProviderError(f"the Codex CLI failed: {why}")
        if run.usage is not None:
            yield run.usage
        yield Done(Message(role="assistant", content=run.final_text()), stop_reason="end_turn")

    def command(self, schema_file: Path | None) -> list[str]:
        """The ``codex exec`` command line for one run (the prompt goes on stdin)."""
        config = self.config
        command = [self.executable, "exec", "--json", "--skip-git-repo-check", "--ephemeral", "--color", "never",
                   "-C", str(cli_agent.workspace(config)), "--sandbox", "workspace-write"]
        if config.model:
            command += ["-m", config.model]
        if config.base_url:
            provider = {"name": "massgen-tui", "base_url": config.base_url, "env_key": _KEY_VARIABLE,
                        "wire_api": "responses"}
            command += ["-c", f"model_providers.massgen_tui={_toml(provider)}", "-c", 'model_provider="massgen_tui"']
        if config.reasoning_effort:
            command += ["-c", f"model_reasoning_effort={_toml(config.reasoning_effort)}"]
        if config.enable_web_search:
            command += ["-c", 'web_search="live"']
        for server in config.cli_mcp_servers:
            command += ["-c", f"mcp_servers.{server.name}={_toml(_mcp_server(server))}"]
        if schema_file is not None:
            command += ["--output-schema", str(schema_file)]
        return [*command, "-"]

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.config.api_key:
            names = (_KEY_VARIABLE,) if self.config.base_url else ("OPENAI_API_KEY", "CODEX_API_KEY")
            env.update({name: self.config.api_key for name in names})
        return env


class _Run:
    """One ``codex exec`` run's state: the messages, the tools in flight, usage and failure."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.started: set[str] = set()
        self.usage: UsageReport | None = None
        self.failure = ""

    def read(self, line: bytes) -> list[StreamEvent]:
        """The stream events one JSONL line stands for (lines that are not JSON objects are skipped)."""
        try:
            event = json.loads(line)
        except ValueError:
            return []
        if not isinstance(event, dict):
            return []
        kind = event.get("type")
        if kind == "turn.completed":
            usage = event.get("usage") or {}
            self.usage = UsageReport(
                input_tokens=int(usage.get("input_tokens") or 0), output_tokens=int(usage.get("output_tokens") or 0),
                reasoning_tokens=int(usage.get("reasoning_output_tokens") or 0),
                cached_tokens=int(usage.get("cached_input_tokens") or 0),
            )
        elif kind in ("turn.failed", "error"):
            error = event.get("error") if kind == "turn.failed" else event
            self.failure = str((error or {}).get("message") or kind)
        elif kind in ("item.started", "item.completed") and isinstance(event.get("item"), dict):
            return self._item(event["item"], done=kind == "item.completed")
        return []

    def _item(self, item: dict[str, Any], *, done: bool) -> list[StreamEvent]:
        kind, item_id = item.get("type"), str(item.get("id"))
        if kind == "agent_message" and done:
            self.messages.append(str(item.get("text") or ""))
            return [TextChunk(self.messages[-1])]
        if kind == "reasoning" and done and item.get("text"):
            return [ReasoningChunk(str(item["text"]) + "\n")]
        call = _tool_call(item)
        if call is None:
            return []
        events: list[StreamEvent] = []
        if item_id not in self.started:
            self.started.add(item_id)
            events.append(call)
        if done:
            events.append(_tool_result(item, call.name))
        return events

    def final_text(self) -> str:
        """The last agent message: with ``--output-schema``, the JSON decision."""
        return self.messages[-1] if self.messages else ""


def _tool_call(item: dict[str, Any]) -> ToolCall | None:
    """The tool call a command, file change or MCP item stands for (other items are not tools)."""
    kind, item_id = item.get("type"), str(item.get("id"))
    if kind == "command_execution":
        return ToolCall(id=item_id, name="shell", arguments={"command": item.get("command", "")})
    if kind == "file_change":
        return ToolCall(id=item_id, name="apply_patch", arguments={"changes": item.get("changes") or []})
    if kind == "mcp_tool_call":
        arguments = item.get("arguments")
        return ToolCall(id=item_id, name=f"{item.get('server')}.{item.get('tool')}",
                        arguments=arguments if isinstance(arguments, dict) else {})
    if kind == "web_search":
        return ToolCall(id=item_id, name="web_search", arguments={"query": item.get("query", "")})
    return None


def _tool_result(item: dict[str, Any], name: str) -> ToolResult:
    kind, status = item.get("type"), item.get("status")
    failed = status in ("failed", "declined")
    if kind == "command_execution":
        output = str(item.get("aggregated_output") or "")
        failed = failed or item.get("exit_code") not in (0, None)
    elif kind == "file_change":
        output = "\n".join(f"{c.get('kind')} {c.get('path')}" for c in item.get("changes") or [])
    elif kind == "mcp_tool_call":
        error = item.get("error")
        output = json.dumps(error if error else item.get("result"), ensure_ascii=False, default=str)
        failed = failed or bool(error)
    else:
        output = str(status or "done")
    return ToolResult(id=str(item.get("id")), name=name, output=output[-_OUTPUT_LIMIT:], is_error=failed)


def _mcp_server(server: McpServerConfig) -> dict[str, Any]:
    if server.type == "stdio":
        entry: dict[str, Any] = {"command": server.command or "", "args": list(server.args)}
        if server.env:
            entry["env"] = dict(server.env)
        return entry
    return {"url": server.url or ""}


def _toml(value: Any) -> str:
    """A TOML value for ``-c key=value``: strings, numbers, lists and inline tables (JSON strings are TOML strings)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value))
