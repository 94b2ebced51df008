"""What the screen shows, as plain data: built by applying session events, in order.

Live sessions and replays feed the same events through :meth:`SessionView.apply_all`; the
screen then redraws only what the returned :class:`Changes` name. Times come from event
timestamps, so the same events always give the same view. Every text enters the view through
:func:`~massgen_tui.text_safety.terminal_safe`, so nothing a model, tool or log says can reach
the terminal as an escape sequence.

An agent that decides in JSON (``RoundStarted.json_decisions``) streams its decision as JSON
text; its panel shows the answer's content as text and a vote as the vote line instead (see
:mod:`~massgen_tui.view.json_decision_stream`), while the events keep what the model sent.
A reply ends when the agent's next call starts or anything else is written in its panel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from massgen_tui.backends.pricing import Price, is_free, price_of
from massgen_tui.coordination.workflow import VOTE, WORKFLOW_TOOLS
from massgen_tui.events import Event
from massgen_tui.events import types as ev
from massgen_tui.text_safety import terminal_safe
from massgen_tui.view import tool_calls as tc
from massgen_tui.view import transcript as tk
from massgen_tui.view.figures import SessionTotals, estimate_tokens
from massgen_tui.view.json_decision_stream import JsonDecisionStream
from massgen_tui.view.transcript import Transcript

# Statuses after which an agent's clock stops until it works again.
_SETTLED = frozenset({ev.VOTED, ev.FAILED, ev.CANCELLED, ev.WINNER})


@dataclass(slots=True)
class AgentView:
    """One agent's header facts and transcript.

    ``input_tokens``, ``output_tokens`` and ``cost`` add up the provider's usage reports;
    ``streamed_chars`` counts the output received since the last report, which
    :attr:`estimated_output` turns into tokens until the report arrives.
    """

    id: str
    label: str = ""
    model: str = ""
    backend: str = ""
    status: str = ev.WAITING
    detail: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True
    usage_reports: int = 0
    streamed_chars: int = 0
    price: Price | None = None
    free: bool = False
    start_ts: float | None = None
    end_ts: float | None = None
    tool_calls: int = 0
    tool_errors: int = 0
    json_decisions: bool = False
    transcript: Transcript = field(default_factory=Transcript)

    @property
    def name(self) -> str:
        """The id with the anonymous label the agents see, ``gamma(agent5)`` (:func:`~ev.agent_name`)."""
        return ev.agent_name(self.id, self.label)

    @property
    def estimated_output(self) -> int:
        """Output tokens of the reply still streaming, estimated (0 once its usage report arrived)."""
        return estimate_tokens(self.streamed_chars)

    @property
    def estimated_cost(self) -> float | None:
        """The cost so far with the streaming reply's estimated output priced in; ``None`` when unknown
        (no list price for the model, or a usage report without a cost)."""
        if self.free:
            return 0.0
        if not self.cost_known or (self.price is None and not self.usage_reports):
            return None
        pending = self.estimated_output * self.price.output / 1_000_000 if self.price is not None else 0.0
        return self.cost + pending

    def elapsed(self, now: float) -> float:
        """Seconds this agent has worked in the current turn, as of ``now``."""
        if self.start_ts is None:
            return 0.0
        return max((self.end_ts if self.end_ts is not None else now) - self.start_ts, 0.0)


@dataclass(slots=True)
class AnswerEntry:
    """An agent's current answer."""

    agent_id: str
    label: str
    version: int
    content: str


@dataclass(slots=True)
class VoteEntry:
    """A vote; ``valid`` turns false when a newer answer clears it."""

    voter_id: str
    target_id: str
    target_label: str
    reason: str
    valid: bool = True


@dataclass(slots=True)
class TimelineEntry:
    """A compact line of the event timeline; ``at`` is seconds since the turn started."""

    at: float
    text: str
    kind: str = "info"


@dataclass(slots=True)
class Changes:
    """What one batch of events changed."""

    roster: bool = False
    transcripts: set[str] = field(default_factory=set)
    headers: set[str] = field(default_factory=set)
    sidebar: bool = False
    final: bool = False
    turn_ended: str | None = None
    alerts: list[str] = field(default_factory=list)  # messages the user must not miss (the log failed)


@dataclass(slots=True)
class ToolCallEntry:
    """A tool call waiting for its result; ``line`` is its summary's index in the transcript."""

    name: str
    arguments: dict[str, Any]
    line: int


#: Built-in file tools whose call changes a file, and the argument naming the file they leave behind.
FILE_WRITES = {"write_file": "path", "edit_file": "path", "move_file": "destination"}


@dataclass(frozen=True, slots=True)
class FileEdit:
    """A file tool call that wrote ``path`` (in its agent's workspace) in ``turn``; ``answers_before`` is
    how many answers the session had then, so the answer that followed it can be found."""

    turn: int
    path: str
    answers_before: int


class SessionView:
    """The state of a session as the user sees it."""

    def __init__(self) -> None:
        self.agents: dict[str, AgentView] = {}
        self.running_tools: dict[tuple[str, str], ToolCallEntry] = {}  # (agent id, call id) -> its line
        self.json_replies: dict[str, JsonDecisionStream] = {}  # agent id -> its JSON reply being streamed
        self.session_id = ""
        self.log_dir: str | None = None
        self.config_name = ""
        self.session_start_ts: float | None = None
        self.session_end_ts: float | None = None
        self.turn = 0
        self.question = ""
        self.turn_status = ""
        self.turn_start_ts: float | None = None
        self.last_ts = 0.0
        self.answers: dict[str, AnswerEntry] = {}
        self.answer_log: list[tuple[int, str, int]] = []  # (turn, agent id, version) of every answer so far
        self.final_log: list[tuple[int, str]] = []  # (turn, presenting agent id) of every final answer given
        self.file_edits: dict[tuple[str, int], FileEdit] = {}  # (agent id, tool call's transcript line) -> edit
        self.votes: list[VoteEntry] = []
        self.restarts: list[TimelineEntry] = []
        self.timeline: list[TimelineEntry] = []
        self.notice = ""  # the turn's latest session notice (its timeline has them all)
        self.winner_id: str | None = None
        self.tally: dict[str, int] = {}
        self.final_agent: str | None = None
        self.final_text = ""
        self.final_workspace = ""  # the winner's final workspace in the log, once it is saved
        self.final_done = False
        self.final_interrupted = False  # the turn ended before the presentation did
        self.show_reasoning = True
        self.log_failed = False  # the session log stopped: its files are not all there

    # -------------------------------------------------------------- queries

    @property
    def voters(self) -> int:
        """Agents whose vote currently counts."""
        return sum(1 for v in self.votes if v.valid)

    @property
    def live_agents(self) -> int:
        """Agents still in the session (not failed)."""
        return sum(1 for a in self.agents.values() if a.status != ev.FAILED)

    def set_show_reasoning(self, show: bool) -> None:
        """Show or hide reasoning lines in every transcript."""
        self.show_reasoning = show
        for agent in self.agents.values():
            agent.transcript.show_reasoning = show

    def name_of(self, agent_id: str) -> str:
        """How every part of the screen names an agent: ``gamma(agent5)`` (see :attr:`AgentView.name`)."""
        agent = self.agents.get(agent_id)
        return agent.name if agent is not None else agent_id

    def _name_of_label(self, label: str) -> str:
        agent = next((a for a in self.agents.values() if a.label == label), None)
        return agent.name if agent is not None else label

    def totals(self) -> SessionTotals:
        """Tokens and cost of the whole session, live estimates included."""
        return SessionTotals.of(self.agents.values())

    def session_elapsed(self, now: float) -> float:
        """Wall-clock seconds since the session started, as of ``now`` (stopped when it ended)."""
        if self.session_start_ts is None:
            return 0.0
        end = self.session_end_ts if self.session_end_ts is not None else now
        return max(end - self.session_start_ts, 0.0)

    # ------------------------------------------------------------- applying

    def apply(self, event: Event) -> Changes:
        """Apply one event."""
        return self.apply_all((event,))

    def apply_all(self, events: Iterable[Event]) -> Changes:
        """Apply events in order; streamed text of one agent is joined before it reaches its transcript."""
        changes = Changes()
        pending: dict[str, tuple[str, list[str]]] = {}

        def flush() -> None:
            for agent_id, (kind, parts) in pending.items():
                self._stream(terminal_safe(agent_id), kind, terminal_safe("".join(parts)), changes)
            pending.clear()

        for event in events:
            if not isinstance(event, _STREAM_TYPES):
                flush()
                self._apply_one(event.with_texts(terminal_safe), changes)
                continue
            kind = _STREAM_KINDS[type(event)]
            self.last_ts = event.ts or self.last_ts
            run = pending.get(event.agent_id)
            if run is not None and run[0] != kind:
                flush()
                run = None
            if run is None:
                pending[event.agent_id] = (kind, [event.text])
            else:
                run[1].append(event.text)
        flush()
        return changes

    def _stream(self, agent_id: str, kind: str, text: str, changes: Changes) -> None:
        agent = self._agent(agent_id, changes)
        if kind == "final":
            self.final_text += text
            changes.final = True
            kind = tk.TEXT
        elif kind == tk.TEXT and agent.json_decisions:
            reply = self.json_replies.get(agent_id)
            if reply is None:
                reply = self.json_replies[agent_id] = JsonDecisionStream()
            text = reply.feed(text)
        agent.transcript.append_stream(kind, text)
        agent.streamed_chars += len(text)
        changes.transcripts.add(agent_id)

    def _end_reply(self, agent_id: str, changes: Changes, *, vote_follows: bool = False) -> None:
        """The agent's JSON reply ended: show it raw if it was no decision; a vote as its vote line,
        unless ``vote_follows`` (a :class:`~massgen_tui.events.types.VoteCast` draws that line)."""
        reply = self.json_replies.pop(agent_id, None)
        if reply is None:
            return
        transcript = self.agents[agent_id].transcript
        tail, decision = reply.finish(), reply.decision
        if tail:
            transcript.append_stream(tk.TEXT, tail)
        elif decision is not None and decision.name == VOTE and not vote_follows:
            transcript.append_line(tk.VOTE, _vote_line(decision.arguments["agent_id"], decision.arguments["reason"]))
        changes.transcripts.add(agent_id)

    def _agent(self, agent_id: str, changes: Changes) -> AgentView:
        agent = self.agents.get(agent_id)
        if agent is None:  # an event for an agent the session did not announce: show it anyway
            agent = self.agents[agent_id] = AgentView(id=agent_id)
            agent.transcript.show_reasoning = self.show_reasoning
            changes.roster = True
        return agent

    def _mark(self, agent_id: str, kind: str, text: str, changes: Changes) -> None:
        agent = self._agent(agent_id, changes)
        self._end_reply(agent_id, changes)
        agent.transcript.append_line(kind, text)
        changes.transcripts.add(agent_id)

    def _note(self, text: str, kind: str = "info") -> None:
        start = self.turn_start_ts if self.turn_start_ts is not None else self.last_ts
        self.timeline.append(TimelineEntry(max(self.last_ts - start, 0.0), text, kind))

    def _apply_one(self, event: Event, changes: Changes) -> None:
        self.last_ts = event.ts or self.last_ts
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event, changes)
        if self.agents:
            # The clocks of working agents moved.
            changes.headers.update(a.id for a in self.agents.values() if a.end_ts is None and a.start_ts)

    # -------------------------------------------------------------- handlers

    def _on_session_started(self, event: ev.SessionStarted, changes: Changes) -> None:
        self.session_id, self.log_dir, self.config_name = event.session_id, event.log_dir, event.config_name
        self.session_start_ts, self.session_end_ts = event.ts, None
        for info in event.agents:
            agent = self._agent(str(info.get("id", "")), changes)
            agent.label = str(info.get("label", ""))
            agent.model = str(info.get("model", ""))
            agent.backend = str(info.get("backend", ""))
            agent.price, agent.free = price_of(agent.model), is_free(agent.backend, agent.model)
        changes.roster = changes.sidebar = True

    def _on_turn_started(self, event: ev.TurnStarted, changes: Changes) -> None:
        self.turn, self.question, self.turn_status = event.turn, event.question, ""
        self.turn_start_ts = event.ts
        self.answers.clear()
        self.votes.clear()
        self.restarts.clear()
        self.timeline.clear()
        self.notice = ""
        self.tally.clear()
        self.winner_id = self.final_agent = None
        self.final_text, self.final_done, self.final_interrupted = "", False, False
        self.final_workspace = ""
        for agent_id, label in event.labels.items():
            self._agent(agent_id, changes).label = label
        for agent in self.agents.values():
            agent.status, agent.detail = ev.WAITING, ""
            agent.start_ts, agent.end_ts = event.ts, None
            self._mark(agent.id, tk.RULE, f"━━ turn {event.turn}: {_one_line(event.question, 200)}", changes)
        self._note(f"turn {event.turn} started")
        changes.sidebar = changes.final = True
        changes.headers.update(self.agents)

    def _on_status(self, event: ev.AgentStatus, changes: Changes) -> None:
        agent = self._agent(event.agent_id, changes)
        agent.status, agent.detail = event.status, event.detail
        if event.status != ev.STREAMING:  # a new call, a tool call or the end of the round
            self._end_reply(agent.id, changes)
        if event.status in _SETTLED:
            agent.end_ts = event.ts
        elif agent.end_ts is not None and agent.start_ts is not None:
            agent.start_ts += event.ts - agent.end_ts  # paused time does not count
            agent.end_ts = None
        if event.status == ev.FAILED:
            self._note(f"{agent.name} failed", "error")
            changes.sidebar = True
        changes.headers.add(agent.id)

    def _on_round(self, event: ev.RoundStarted, changes: Changes) -> None:
        seen = f" · sees {', '.join(map(self._name_of_label, event.answers_seen))}" if event.answers_seen else ""
        self._mark(event.agent_id, tk.RULE, f"── round {event.round + 1}{seen}", changes)
        self.agents[event.agent_id].json_decisions = event.json_decisions

    def _on_tool_call(self, event: ev.ToolCallStarted, changes: Changes) -> None:
        agent = self._agent(event.agent_id, changes)
        self._end_reply(agent.id, changes)
        summary = tc.summary_line(event.name, event.arguments, tc.state_text(finished=False))
        line = agent.transcript.append_tool(summary, tc.detail_lines(event.arguments, None))
        agent.streamed_chars += len(str(event.arguments))  # the model wrote them: output tokens
        self.running_tools[(agent.id, event.call_id)] = ToolCallEntry(event.name, event.arguments, line)
        written = event.arguments.get(FILE_WRITES.get(event.name, ""))
        if isinstance(written, str) and written:
            self.file_edits[(agent.id, line)] = FileEdit(self.turn, written, len(self.answer_log))
        if event.name not in WORKFLOW_TOOLS:
            agent.tool_calls += 1
            changes.sidebar = True
        changes.transcripts.add(agent.id)

    def _on_tool_result(self, event: ev.ToolCallFinished, changes: Changes) -> None:
        agent = self._agent(event.agent_id, changes)
        entry = self.running_tools.pop((agent.id, event.call_id), None)
        if entry is None:  # a result without its call (a damaged log): show it as a call of its own
            entry = ToolCallEntry(event.name, {}, agent.transcript.append_tool("", []))
        state = tc.state_text(finished=True, is_error=event.is_error, duration=event.duration)
        agent.transcript.finish_tool(
            entry.line, tc.summary_line(entry.name, entry.arguments, state),
            tc.detail_lines(entry.arguments, event.result, is_error=event.is_error),
        )
        if event.is_error and event.name not in WORKFLOW_TOOLS:
            agent.tool_errors += 1
            changes.sidebar = True
        changes.transcripts.add(agent.id)

    def _on_answer(self, event: ev.AnswerSubmitted, changes: Changes) -> None:
        self.answers[event.agent_id] = AnswerEntry(event.agent_id, event.label, event.version, event.content)
        self.answer_log.append((self.turn, event.agent_id, event.version))
        name = self.name_of(event.agent_id)
        self._mark(event.agent_id, tk.ANSWER, f"✔ new answer {name} v{event.version}:", changes)
        self._mark(event.agent_id, tk.ANSWER, event.content, changes)
        self._note(f"{name} answered (v{event.version})", "answer")
        changes.sidebar = True

    def _on_vote(self, event: ev.VoteCast, changes: Changes) -> None:
        self.votes.append(VoteEntry(event.agent_id, event.target_id, event.target_label, event.reason))
        self._end_reply(event.agent_id, changes, vote_follows=True)
        target = self.name_of(event.target_id)
        self._mark(event.agent_id, tk.VOTE, _vote_line(target, event.reason), changes)
        self._note(f"{self.name_of(event.agent_id)} → {target}", "vote")
        changes.sidebar = True

    def _on_votes_invalidated(self, event: ev.VotesInvalidated, changes: Changes) -> None:
        cleared = set(event.voters)
        for vote in self.votes:
            if vote.voter_id in cleared:
                vote.valid = False
        self._note(f"new answer from {self.name_of(event.by_agent_id)} cleared {len(cleared)} vote(s)", "vote")
        changes.sidebar = True

    def _on_rejected(self, event: ev.WorkflowRejected, changes: Changes) -> None:
        self._mark(event.agent_id, tk.ERROR, f"✗ rejected (attempt {event.attempt}): {event.reason}", changes)

    def _on_restart(self, event: ev.AgentRestarted, changes: Changes) -> None:
        self._mark(event.agent_id, tk.RULE, f"↻ restart: {event.reason}", changes)
        entry = f"{self.name_of(event.agent_id)} → round {event.round + 1}: {event.reason}"
        start = self.turn_start_ts if self.turn_start_ts is not None else event.ts
        self.restarts.append(TimelineEntry(max(event.ts - start, 0.0), entry, "restart"))
        self._note(f"{self.name_of(event.agent_id)} restarted", "restart")
        changes.sidebar = True

    def _on_retry(self, event: ev.Retrying, changes: Changes) -> None:
        self._mark(event.agent_id, tk.NOTICE,
                   f"… retry {event.attempt}/{event.max_attempts} in {event.delay:.1f}s: {event.reason}", changes)

    def _on_error(self, event: ev.AgentError, changes: Changes) -> None:
        prefix = "✗ failed" if event.fatal else "✗ error"
        self._mark(event.agent_id, tk.ERROR, f"{prefix}: {event.message}", changes)

    def _on_usage(self, event: ev.Usage, changes: Changes) -> None:
        agent = self._agent(event.agent_id, changes)
        agent.input_tokens += event.input_tokens
        agent.output_tokens += event.output_tokens
        agent.usage_reports += 1
        agent.streamed_chars = 0  # the provider's count replaces the estimate
        if event.cost is None:
            agent.cost_known = False
        else:
            agent.cost += event.cost
        changes.headers.add(agent.id)

    def _on_notice(self, event: ev.Notice, changes: Changes) -> None:
        self.notice = event.message
        self._note(event.message, "error" if event.level in ("warning", "error") else "info")
        changes.sidebar = True

    def _on_engine_crashed(self, event: ev.EngineCrashed, changes: Changes) -> None:
        self.notice = f"the engine crashed: {event.error}"
        self._note(self.notice, "error")
        changes.sidebar = True

    def _on_log_failed(self, event: ev.LogFailed, changes: Changes) -> None:
        self.log_failed = True
        self._note(event.message, "error")
        changes.alerts.append(event.message)
        changes.sidebar = changes.final = True

    def _on_consensus(self, event: ev.ConsensusReached, changes: Changes) -> None:
        self.winner_id, self.tally = event.winner_id, dict(event.tally)
        votes = self.tally.get(event.winner_id, 0)
        self._mark(event.winner_id, tk.WINNER, f"★ winner ({votes} vote{'s' if votes != 1 else ''}, "
                                               f"by {event.reason})", changes)
        self._note(f"{self.name_of(event.winner_id)} wins", "winner")
        changes.sidebar = True
        changes.headers.update(self.agents)

    def _on_final_started(self, event: ev.FinalStarted, changes: Changes) -> None:
        self.final_agent, self.final_text, self.final_done = event.agent_id, "", False
        self._mark(event.agent_id, tk.RULE, "── final answer", changes)
        changes.final = True

    def _on_final_ended(self, event: ev.FinalEnded, changes: Changes) -> None:
        self.final_agent, self.final_text, self.final_done = event.agent_id, event.content, True
        self.final_log.append((self.turn, event.agent_id))
        changes.final = True

    def _on_workspace_snapshotted(self, event: ev.WorkspaceSnapshotted, changes: Changes) -> None:
        self._note(f"{self.name_of(event.agent_id)} answer {event.version}: workspace of {event.files} files saved "
                   f"({event.new_bytes:,} new bytes)")
        changes.sidebar = True

    def _on_final_workspace(self, event: ev.FinalWorkspaceReady, changes: Changes) -> None:
        self.final_workspace = event.path
        self._note(f"final workspace ({event.files} files): {event.path}")
        changes.final = changes.sidebar = True

    def _on_context_writes(self, event: ev.ContextWritesReviewed, changes: Changes) -> None:
        files = ", ".join(event.files) or "no files"
        verdict = "written" if event.applied else f"not written ({event.reason})" if event.reason else "not written"
        self._note(f"{self.name_of(event.agent_id)}'s changes to your folders: {files}: {verdict}",
                   "info" if event.applied else "error")
        changes.sidebar = True

    def _on_turn_ended(self, event: ev.TurnEnded, changes: Changes) -> None:
        self.turn_status = event.status
        if event.final_answer and not self.final_text:
            self.final_text, self.final_done = event.final_answer, True
        if self.final_agent and not self.final_done:  # cancelled or killed mid-presentation
            self.final_done = self.final_interrupted = True
        for agent in self.agents.values():
            if agent.end_ts is None:
                agent.end_ts = event.ts
        detail = f": {event.error}" if event.error else ""
        kind = "error" if event.status != ev.TURN_COMPLETED else "info"
        self._note(f"turn {event.turn} {event.status}{detail}", kind)
        changes.turn_ended = event.status
        changes.sidebar = changes.final = True
        changes.headers.update(self.agents)

    def _on_session_ended(self, event: ev.SessionEnded, changes: Changes) -> None:
        self.session_end_ts = event.ts
        changes.sidebar = True


_STREAM_KINDS: dict[type[Event], str] = {ev.TextDelta: tk.TEXT, ev.ReasoningDelta: tk.REASONING, ev.FinalDelta: "final"}
#: Written out (not ``tuple(_STREAM_KINDS)``) so that mypy narrows ``isinstance``; a test ties the two.
_STREAM_TYPES = (ev.TextDelta, ev.ReasoningDelta, ev.FinalDelta)

#: Each handler takes the event type it is keyed by; a mapping from a type to a function of that
#: type cannot be spelled in Python's type system, hence ``Any`` for the event parameter.
_HANDLERS: dict[type[Event], Callable[[SessionView, Any, Changes], None]] = {
    ev.SessionStarted: SessionView._on_session_started,
    ev.TurnStarted: SessionView._on_turn_started,
    ev.AgentStatus: SessionView._on_status,
    ev.RoundStarted: SessionView._on_round,
    ev.ToolCallStarted: SessionView._on_tool_call,
    ev.ToolCallFinished: SessionView._on_tool_result,
    ev.AnswerSubmitted: SessionView._on_answer,
    ev.VoteCast: SessionView._on_vote,
    ev.VotesInvalidated: SessionView._on_votes_invalidated,
    ev.WorkflowRejected: SessionView._on_rejected,
    ev.AgentRestarted: SessionView._on_restart,
    ev.Retrying: SessionView._on_retry,
    ev.AgentError: SessionView._on_error,
    ev.Usage: SessionView._on_usage,
    ev.Notice: SessionView._on_notice,
    ev.EngineCrashed: SessionView._on_engine_crashed,
    ev.LogFailed: SessionView._on_log_failed,
    ev.ConsensusReached: SessionView._on_consensus,
    ev.FinalStarted: SessionView._on_final_started,
    ev.FinalEnded: SessionView._on_final_ended,
    ev.WorkspaceSnapshotted: SessionView._on_workspace_snapshotted,
    ev.FinalWorkspaceReady: SessionView._on_final_workspace,
    ev.ContextWritesReviewed: SessionView._on_context_writes,
    ev.TurnEnded: SessionView._on_turn_ended,
    ev.SessionEnded: SessionView._on_session_ended,
}


def _vote_line(label: str, reason: str) -> str:
    return f"☑ voted for {label}" + (f": {reason}" if reason else "")


def _one_line(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
