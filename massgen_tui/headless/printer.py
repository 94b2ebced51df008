"""The headless display: progress lines on stderr, the final answer on stdout.

On a terminal the final answer streams as it comes (a retried attempt starts on a new line, and
the answer is written again whole if what streamed last is not it, as after a failed
presentation); into a pipe or file it is written once, when it is complete, so stdout is exactly
the answer (``final.md``). Everything written passes through
:func:`~massgen_tui.text_safety.terminal_safe`: text from models, tools and logs never reaches
the terminal as escape sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.text_safety import terminal_safe

_PREVIEW = 70


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _PREVIEW else flat[: _PREVIEW - 3] + "..."


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def format_tokens(totals: dict[str, Any]) -> str:
    """``in 1,234 / out 56 tokens, cost $0.0012`` (or ``cost unknown``)."""
    cost = totals.get("cost")
    price = f"cost ${cost:.4f}" if cost is not None else "cost unknown"
    return f"in {totals.get('input_tokens', 0):,} / out {totals.get('output_tokens', 0):,} tokens, {price}"


class ProgressPrinter:
    """A bus subscriber writing one line per step of the protocol, stamped with elapsed seconds."""

    def __init__(self, stderr: TextIO, stdout: TextIO, stream_final: bool | None = None) -> None:
        self._err = stderr
        self._out = stdout
        self._start: float | None = None
        self._stream = _is_terminal(stdout) if stream_final is None else stream_final
        self._final: list[str] | None = None  # the final answer's text so far, while it is presented

    def __call__(self, event: Event) -> None:
        if self._start is None:
            self._start = event.ts
        handler = self._HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)

    def _line(self, event: Event, text: str) -> None:
        self._err.write(f"[{event.ts - (self._start or event.ts):6.1f}s] {terminal_safe(text)}\n")
        self._err.flush()

    def _session_started(self, e: ev.SessionStarted) -> None:
        team = ", ".join(f"{a['id']} ({a['backend']} {a['model']})" for a in e.agents)
        self._line(e, f"session {e.session_id}: {team}")
        if e.log_dir:
            self._line(e, f"log: {e.log_dir}")

    def _turn_started(self, e: ev.TurnStarted) -> None:
        self._line(e, f"turn {e.turn}: {_preview(e.question)}")

    def _answer(self, e: ev.AnswerSubmitted) -> None:
        self._line(e, f"{e.agent_id}: new answer {e.label} v{e.version}: {_preview(e.content)}")

    def _vote(self, e: ev.VoteCast) -> None:
        self._line(e, f"{e.agent_id}: votes for {e.target_label} ({e.target_id}): {_preview(e.reason)}")

    def _rejected(self, e: ev.WorkflowRejected) -> None:
        self._line(e, f"{e.agent_id}: reply rejected (attempt {e.attempt}): {_preview(e.reason)}")

    def _invalidated(self, e: ev.VotesInvalidated) -> None:
        self._line(e, f"votes of {', '.join(e.voters)} cleared by a new answer from {e.by_agent_id}")

    def _restart(self, e: ev.AgentRestarted) -> None:
        self._line(e, f"{e.agent_id}: restarts (round {e.round}): {e.reason}")

    def _retry(self, e: ev.Retrying) -> None:
        self._line(e, f"{e.agent_id}: retry {e.attempt}/{e.max_attempts} in {e.delay:.1f}s: {e.reason}")
        if self._final:  # the presentation starts again: what it streamed so far is not the answer
            if self._stream and not self._final[-1].endswith("\n"):
                self._out.write("\n")
            self._final = []

    def _error(self, e: ev.AgentError) -> None:
        self._line(e, f"{e.agent_id}: {'failed' if e.fatal else 'error'}: {e.message}")

    def _notice(self, e: ev.Notice) -> None:
        self._line(e, f"{e.level}: {e.message}")

    def _engine_crashed(self, e: ev.EngineCrashed) -> None:
        self._line(e, f"error: the engine crashed: {e.error}")

    def _log_failed(self, e: ev.LogFailed) -> None:
        self._line(e, f"log error: {e.message}")

    def _consensus(self, e: ev.ConsensusReached) -> None:
        votes = ", ".join(f"{k}={v}" for k, v in e.tally.items()) or "no votes"
        self._line(e, f"winner: {e.winner_id} ({e.reason}; {votes})")

    def _final_started(self, e: ev.FinalStarted) -> None:
        self._line(e, f"{e.agent_id}: presenting the final answer")
        self._final = []

    def _final_delta(self, e: ev.FinalDelta) -> None:
        text = terminal_safe(e.text)
        if self._final is not None:
            self._final.append(text)
        if self._stream:
            self._out.write(text)
            self._out.flush()

    def _final_ended(self, e: ev.FinalEnded) -> None:
        if self._final is None:
            return
        content, shown = terminal_safe(e.content), "".join(self._final)
        if not self._stream:
            self._out.write(content)
        elif shown != content:  # a retry or a fallback streamed something else first
            self._out.write(("\n" if shown and not shown.endswith("\n") else "") + content)
        if not content.endswith("\n"):
            self._out.write("\n")
        self._out.flush()
        self._final = None

    def _final_workspace(self, e: ev.FinalWorkspaceReady) -> None:
        self._line(e, f"final workspace ({e.files} files): {e.path}")

    def _context_writes(self, e: ev.ContextWritesReviewed) -> None:
        verb = "written" if e.applied else "NOT written"
        self._line(e, f"changes to context paths {verb} ({e.reason}): {', '.join(e.files)}")

    def _turn_ended(self, e: ev.TurnEnded) -> None:
        detail = f": {e.error}" if e.error else ""
        self._line(e, f"turn {e.turn} {e.status}{detail}")

    def _session_ended(self, e: ev.SessionEnded) -> None:
        self._line(e, f"session {e.status}: {format_tokens(e.totals)}")

    #: Events with no progress line of their own: streamed text (the final answer streams to stdout), statuses,
    #: rounds, tool calls and usage (totals come at the end).
    IGNORED: frozenset[type] = frozenset({
        ev.TextDelta, ev.ReasoningDelta, ev.AgentStatus, ev.RoundStarted, ev.ToolCallStarted, ev.ToolCallFinished,
        ev.Usage, ev.WorkspaceSnapshotted,
    })
    _HANDLERS: dict[type, Callable[[ProgressPrinter, Any], None]] = {
        ev.SessionStarted: _session_started,
        ev.TurnStarted: _turn_started,
        ev.AnswerSubmitted: _answer,
        ev.VoteCast: _vote,
        ev.WorkflowRejected: _rejected,
        ev.VotesInvalidated: _invalidated,
        ev.AgentRestarted: _restart,
        ev.Retrying: _retry,
        ev.AgentError: _error,
        ev.Notice: _notice,
        ev.EngineCrashed: _engine_crashed,
        ev.LogFailed: _log_failed,
        ev.ConsensusReached: _consensus,
        ev.FinalStarted: _final_started,
        ev.FinalDelta: _final_delta,
        ev.FinalEnded: _final_ended,
        ev.TurnEnded: _turn_ended,
        ev.SessionEnded: _session_ended,
        ev.FinalWorkspaceReady: _final_workspace,
        ev.ContextWritesReviewed: _context_writes,
    }
