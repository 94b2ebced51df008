"""A session: one conversation of one or more turns with the same agents, published on one bus.

The session knows nothing of screens or files. The headless printer, the Textual app and the
session log all subscribe to the bus it publishes to.
"""

from __future__ import annotations

import asyncio
import importlib
import secrets
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from massgen_tui.backends import create_backend
from massgen_tui.backends.local_model import embedded_model_notice
from massgen_tui.config.model import SessionConfig
from massgen_tui.coordination.agent import AgentRuntime
from massgen_tui.coordination.coordinator import (
    CANCELLED,
    COMPLETED,
    FAILED,
    Coordinator,
    TurnResult,
)
from massgen_tui.events import EventBus
from massgen_tui.events import types as ev
from massgen_tui.logs.redact import Redactor, redact_document
from massgen_tui.tools.external import ExternalTools
from massgen_tui.workspace.manager import Approve, ToolChain, Workspaces, needs_workspaces

if TYPE_CHECKING:
    from massgen_tui.tools.mcp_tools import McpTools, StartFailure


def new_session_id() -> str:
    """A sortable, unique session id: ``YYYYMMDD-HHMMSS-xxxx``."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


def anonymous_labels(agent_ids: list[str]) -> dict[str, str]:
    """MassGen's labels: ``agent1..agentN`` assigned over the sorted agent ids."""
    return {agent_id: f"agent{i}" for i, agent_id in enumerate(sorted(agent_ids), start=1)}


class Session:
    """Runs turns of the protocol for ``config`` and publishes every event to ``bus``.

    The MCP servers the agents' backends configure start in :meth:`open` and stop in :meth:`close`.
    ``tools`` replaces them with another tool provider, which the caller owns (starts and stops).
    Agents with a ``backend.cwd`` (or any ``context_paths``) get workspaces (:mod:`massgen_tui.workspace`)
    under ``workdir`` (default: the current folder); writes to the user's context paths need
    ``approve_writes`` to say yes, or ``allow_writes``.
    """

    def __init__(
        self,
        config: SessionConfig,
        bus: EventBus,
        *,
        redactor: Redactor | None = None,
        session_id: str | None = None,
        log_dir: str | None = None,
        timeout_seconds: float | None = None,
        tools: ExternalTools | None = None,
        workdir: Path | None = None,
        allow_writes: bool = False,
        approve_writes: Approve | None = None,
    ) -> None:
        self.config = config
        self.bus = bus
        self.session_id = session_id or new_session_id()
        self.log_dir = log_dir
        self.redact: Callable[[str], str] = redactor or Redactor(())
        self.history: list[tuple[str, str]] = []
        self.turn = 0
        self._timeout = timeout_seconds or config.timeout.orchestrator_timeout_seconds
        self._coordinator: Coordinator | None = None
        self._last: TurnResult | None = None
        self._tools = tools
        self._mcp: McpTools | None = None
        self._workdir = workdir
        self._allow_writes = allow_writes
        self._approve_writes = approve_writes
        self.workspaces: Workspaces | None = None

    @property
    def agents(self) -> list[AgentRuntime]:
        """The session's agents in config order (empty before :meth:`open`)."""
        return self._coordinator.agents if self._coordinator else []

    async def open(self) -> None:
        """Create every backend and start every MCP server, all at once, and announce the session.

        SDK imports run off the event loop. An MCP server that does not start is reported as a
        non-fatal agent error; the agent goes on without its tools.
        """
        labels = anonymous_labels([a.id for a in self.config.agents])
        # Announced (and so logged) before anything starts: a kill during a slow MCP start-up still
        # leaves a replayable log.
        self.bus.publish(ev.SessionStarted(
            session_id=self.session_id,
            agents=[
                {"id": a.id, "label": labels[a.id], "backend": a.backend.type, "model": a.backend.model}
                for a in self.config.agents
            ],
            config=redact_document(self.config.raw),
            log_dir=self.log_dir,
            config_name=self.config.display_name,
        ))
        backends, tool_failures = await asyncio.gather(
            asyncio.gather(
                *(asyncio.to_thread(create_backend, a.backend) for a in self.config.agents), return_exceptions=True
            ),
            self._start_mcp(),
        )
        agents = []
        for agent_config, backend in zip(self.config.agents, backends, strict=True):
            error = self.redact(f"could not start backend: {backend}") if isinstance(backend, BaseException) else ""
            agents.append(AgentRuntime(
                config=agent_config,
                label=labels[agent_config.id],
                backend=None if isinstance(backend, BaseException) else backend,
                setup_error=error,
            ))
        tools = self._tools if self._tools is not None else self._mcp
        if needs_workspaces(self.config.agents, self.config.orchestrator):
            self.workspaces = Workspaces(
                self.config.agents, labels, self.config.orchestrator, session_id=self.session_id,
                workdir=self._workdir, log_dir=Path(self.log_dir) if self.log_dir else None,
                publish=self.bus.publish, allow_writes=self._allow_writes, approve=self._approve_writes,
            )
            tools = ToolChain(self.workspaces, tools)
        self._coordinator = Coordinator(
            agents, self.bus, orchestrator=self.config.orchestrator,
            timeout_seconds=self._timeout, redact=self.redact, tools=tools, workspaces=self.workspaces,
        )
        for failure in tool_failures:
            self.bus.publish(ev.AgentError(agent_id=failure.agent_id, message=failure.message, fatal=False))

    async def _start_mcp(self) -> list[StartFailure]:
        """Start the configured MCP servers (unless a tool provider was given); returns those that failed."""
        if self._tools is not None or not any(a.backend.mcp_servers for a in self.config.agents):
            return []
        mcp_tools = await asyncio.to_thread(importlib.import_module, "massgen_tui.tools.mcp_tools")
        self._mcp = mcp_tools.McpTools(self.config.agents, publish=self.bus.publish, redact=self.redact)
        return await self._mcp.start()

    async def ask(self, question: str) -> TurnResult:
        """Run one turn for ``question``; the conversation so far goes along as history."""
        assert self._coordinator is not None, "call open() first"
        self.turn += 1
        if self.workspaces is not None:
            self.workspaces.start_turn(self.turn)
        self.bus.publish(ev.TurnStarted(
            turn=self.turn, question=question, labels={a.id: a.label for a in self.agents}
        ))
        notice = embedded_model_notice(self.config.agents) if self.turn == 1 else None
        if notice:  # after TurnStarted, which clears the app's timeline
            self.bus.publish(ev.Notice(message=notice))
        try:
            result = await self._coordinator.run_turn(question, self.history)
        except asyncio.CancelledError:
            self._end_turn(TurnResult(CANCELLED, None, "", "cancelled by the user"))
            raise
        except Exception as exc:  # a bug in the engine: logged and shown, and the session goes on
            error = f"{type(exc).__name__}: {exc}"
            detail = "".join(traceback.format_exception(exc)[-6:])
            self.bus.publish(ev.EngineCrashed(error=error, detail=detail))
            result = TurnResult(FAILED, None, "", f"the engine crashed: {error}")
        self._end_turn(result)
        if result.final_answer:
            self.history.append((question, result.final_answer))
        return result

    def clear_history(self) -> None:
        """Forget earlier turns: the next question starts a fresh conversation."""
        self.history.clear()

    def _end_turn(self, result: TurnResult) -> None:
        self._last = result
        self.bus.publish(ev.TurnEnded(
            turn=self.turn, status=result.status, winner_id=result.winner_id,
            final_answer=result.final_answer, error=result.error,
        ))

    def totals(self) -> dict[str, object]:
        """Token and cost totals per agent and overall; cost is ``None`` if any call had no price."""
        usages = [a.usage for a in self.agents]
        overall: dict[str, object] = {
            "calls": sum(u.calls for u in usages),
            "input_tokens": sum(u.input_tokens for u in usages),
            "output_tokens": sum(u.output_tokens for u in usages),
            "reasoning_tokens": sum(u.reasoning_tokens for u in usages),
            "cached_tokens": sum(u.cached_tokens for u in usages),
            # The sum of the per-agent costs as shown (each rounded), as in ``UsageTotals.as_dict``.
            "cost": round(sum(round(u.cost, 6) for u in usages), 6) if all(u.cost_known for u in usages) else None,
        }
        return {**overall, "agents": {a.id: a.usage.as_dict() for a in self.agents}}

    async def close(self, status: ev.TurnStatus | None = None) -> None:
        """Announce the end with totals, release the backends' connections and stop the MCP servers.

        Also right after a cancelled turn or open: every server that started is stopped.
        """
        last = self._last
        final_status = status or (last.status if last else COMPLETED)
        self.bus.publish(ev.SessionEnded(
            status=final_status, totals=self.totals(), winner_id=last.winner_id if last else None
        ))
        try:
            for agent in self.agents:
                if agent.backend is not None:
                    await agent.backend.aclose()
        finally:
            if self.workspaces is not None:
                self.workspaces.close()
            if self._mcp is not None:
                await self._mcp.stop()
