"""The session event types: every state change of a session, typed and serialisable.

Each event is a frozen-free dataclass with a ``type`` tag. ``seq`` and ``ts`` are
assigned by the :class:`~massgen_tui.events.bus.EventBus` when the event is published,
so producers build events without caring about ordering or clocks.

``to_dict`` / ``event_from_dict`` are the one serialisation used by the session log,
replay and any other consumer; the dict form is flat JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, Literal, get_args

SCHEMA_VERSION = 1

# Agent statuses, in the order a user usually sees them.
WAITING = "waiting"
THINKING = "thinking"
STREAMING = "streaming"
TOOL = "tool"
ANSWERED = "answered"
VOTED = "voted"
RESTARTING = "restarting"
RETRYING = "retrying"
PRESENTING = "presenting"
WINNER = "winner"
FAILED = "failed"
CANCELLED = "cancelled"
AGENT_STATUSES = (
    WAITING, THINKING, STREAMING, TOOL, ANSWERED, VOTED, RESTARTING,
    RETRYING, PRESENTING, WINNER, FAILED, CANCELLED,
)

#: How a turn (and a session) ends.
TurnStatus = Literal["completed", "timeout", "failed", "cancelled"]
TURN_COMPLETED: TurnStatus = "completed"
TURN_TIMEOUT: TurnStatus = "timeout"
TURN_FAILED: TurnStatus = "failed"
TURN_CANCELLED: TurnStatus = "cancelled"
TURN_STATUSES: tuple[TurnStatus, ...] = get_args(TurnStatus)


def agent_name(agent_id: str, label: str) -> str:
    """How displays name an agent: its id with the anonymous label the other agents see, ``gamma(agent5)``
    (the id alone when it has no other label)."""
    return f"{agent_id}({label})" if label and label != agent_id else agent_id


@dataclass(slots=True)
class Event:
    """Base of all session events."""

    type: ClassVar[str] = "event"
    seq: int = field(default=0, kw_only=True)
    ts: float = field(default=0.0, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """The flat JSON form: ``{"type": ..., "seq": ..., "ts": ..., **fields}``."""
        data: dict[str, Any] = {"type": self.type}
        for name in _FIELD_NAMES[type(self)]:
            data[name] = getattr(self, name)
        return data

    def with_texts(self, change: Callable[[str], str]) -> Event:
        """A copy with ``change`` applied to every string in its fields (itself if none changed)."""
        changed = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (str, dict, list)):
                new = map_strings(value, change)
                if new != value:
                    changed[f.name] = new
        return replace(self, **changed) if changed else self


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with ``change`` applied to every string in it (nested dicts, lists and tuples too)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {map_strings(k, change): map_strings(v, change) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(map_strings(v, change) for v in value)
    return value


@dataclass(slots=True)
class SessionStarted(Event):
    """A session opened: its id, the agents, the (redacted) configuration and the name it runs under
    (the config file's name, or how a file-less quick setup was made; empty in older logs)."""

    type: ClassVar[str] = "session_started"
    session_id: str
    agents: list[dict[str, Any]]
    config: dict[str, Any]
    log_dir: str | None = None
    schema: int = SCHEMA_VERSION
    config_name: str = ""


@dataclass(slots=True)
class TurnStarted(Event):
    """A user question starts a coordination turn (turn 1 is the first question)."""

    type: ClassVar[str] = "turn_started"
    turn: int
    question: str
    labels: dict[str, str]


@dataclass(slots=True)
class AgentStatus(Event):
    """An agent moved to a new status (one of ``AGENT_STATUSES``)."""

    type: ClassVar[str] = "agent_status"
    agent_id: str
    status: str
    detail: str = ""


@dataclass(slots=True)
class RoundStarted(Event):
    """An agent starts a fresh attempt at the task (round 0 is its first).

    ``json_decisions``: the agent decides in JSON this round (structured output), not with tool calls.
    """

    type: ClassVar[str] = "round_started"
    agent_id: str
    round: int
    answers_seen: list[str]
    json_decisions: bool = False


@dataclass(slots=True)
class TextDelta(Event):
    """A piece of an agent's visible output text."""

    type: ClassVar[str] = "text"
    agent_id: str
    text: str


@dataclass(slots=True)
class ReasoningDelta(Event):
    """A piece of an agent's reasoning / thinking summary."""

    type: ClassVar[str] = "reasoning"
    agent_id: str
    text: str


@dataclass(slots=True)
class ToolCallStarted(Event):
    """An agent called a tool (workflow or external) with parsed arguments."""

    type: ClassVar[str] = "tool_call"
    agent_id: str
    call_id: str
    name: str
    arguments: dict[str, Any]


@dataclass(slots=True)
class ToolCallFinished(Event):
    """A tool call's result went back to the model."""

    type: ClassVar[str] = "tool_result"
    agent_id: str
    call_id: str
    name: str
    result: str
    is_error: bool = False
    duration: float = 0.0


@dataclass(slots=True)
class AnswerSubmitted(Event):
    """An agent's new answer was accepted; ``version`` counts from 1 per agent."""

    type: ClassVar[str] = "answer"
    agent_id: str
    label: str
    version: int
    content: str


@dataclass(slots=True)
class VoteCast(Event):
    """An agent voted for another agent's current answer."""

    type: ClassVar[str] = "vote"
    agent_id: str
    target_id: str
    target_label: str
    reason: str


@dataclass(slots=True)
class WorkflowRejected(Event):
    """A reply broke a protocol rule; the error went back to the model."""

    type: ClassVar[str] = "rejected"
    agent_id: str
    reason: str
    attempt: int


@dataclass(slots=True)
class VotesInvalidated(Event):
    """A new answer cleared the votes cast so far."""

    type: ClassVar[str] = "votes_invalidated"
    by_agent_id: str
    voters: list[str]


@dataclass(slots=True)
class AgentRestarted(Event):
    """An agent starts over with a fresh conversation holding the newer answers."""

    type: ClassVar[str] = "restart"
    agent_id: str
    reason: str
    round: int


@dataclass(slots=True)
class Retrying(Event):
    """A provider call failed transiently and will be retried after ``delay`` seconds."""

    type: ClassVar[str] = "retry"
    agent_id: str
    attempt: int
    max_attempts: int
    delay: float
    reason: str


@dataclass(slots=True)
class AgentError(Event):
    """An agent's error; ``fatal`` means the agent is out of the session."""

    type: ClassVar[str] = "error"
    agent_id: str
    message: str
    fatal: bool = True


@dataclass(slots=True)
class Usage(Event):
    """Token usage of one provider call; ``cost`` is ``None`` for models without a price."""

    type: ClassVar[str] = "usage"
    agent_id: str
    input_tokens: int
    output_tokens: int
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost: float | None = None


@dataclass(slots=True)
class Notice(Event):
    """A session-level message for the user (timeout, fallback, ...)."""

    type: ClassVar[str] = "notice"
    message: str
    level: str = "info"


@dataclass(slots=True)
class EngineCrashed(Event):
    """The coordinator itself failed with an unexpected error: the turn ends as failed, the session goes on.
    ``detail`` is the traceback's last lines, for a bug report."""

    type: ClassVar[str] = "engine_crashed"
    error: str
    detail: str = ""


@dataclass(slots=True)
class LogFailed(Event):
    """The session log could not be written: once when it stops, once more at the end naming what is missing.

    ``unsaved`` lists what was not saved so far (``events.jsonl from event 12 on``, ``turn_1/final.md``...).
    """

    type: ClassVar[str] = "log_failed"
    message: str
    unsaved: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ConsensusReached(Event):
    """Coordination is over; ``winner_id`` presents. ``tally`` maps agent id to votes."""

    type: ClassVar[str] = "consensus"
    winner_id: str
    tally: dict[str, int]
    reason: str


@dataclass(slots=True)
class FinalStarted(Event):
    """The winner starts streaming the final answer."""

    type: ClassVar[str] = "final_started"
    agent_id: str


@dataclass(slots=True)
class FinalDelta(Event):
    """A piece of the final answer."""

    type: ClassVar[str] = "final_delta"
    agent_id: str
    text: str


@dataclass(slots=True)
class FinalEnded(Event):
    """The final answer is complete."""

    type: ClassVar[str] = "final_ended"
    agent_id: str
    content: str


@dataclass(slots=True)
class TurnEnded(Event):
    """A turn finished. ``status``: completed, timeout, failed or cancelled."""

    type: ClassVar[str] = "turn_ended"
    turn: int
    status: TurnStatus
    winner_id: str | None
    final_answer: str
    error: str = ""


@dataclass(slots=True)
class SessionEnded(Event):
    """The session closed: the last turn's status and winner, token and cost totals per agent and overall."""

    type: ClassVar[str] = "session_ended"
    status: TurnStatus
    totals: dict[str, Any]
    winner_id: str | None = None


@dataclass(slots=True)
class WorkspaceSnapshotted(Event):
    """An accepted answer's workspace was snapshotted; ``path`` is its copy in the session log (``None``: no log)."""

    type: ClassVar[str] = "workspace_snapshotted"
    agent_id: str
    label: str
    turn: int
    version: int
    path: str | None
    files: int
    bytes: int
    #: Bytes stored anew for this snapshot (unchanged files cost nothing).
    new_bytes: int


@dataclass(slots=True)
class FinalWorkspaceReady(Event):
    """The winner's final workspace is complete at ``path`` (the session log's ``turn_N/final_workspace/``)."""

    type: ClassVar[str] = "final_workspace"
    agent_id: str
    turn: int
    path: str
    files: int


@dataclass(slots=True)
class ContextWritesReviewed(Event):
    """Changes the presenter made to the user's context paths, and whether they were written (``applied``)."""

    type: ClassVar[str] = "context_writes"
    agent_id: str
    files: list[str]
    applied: bool
    reason: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        SessionStarted, TurnStarted, AgentStatus, RoundStarted, TextDelta, ReasoningDelta,
        ToolCallStarted, ToolCallFinished, AnswerSubmitted, VoteCast, WorkflowRejected,
        VotesInvalidated, AgentRestarted, Retrying, AgentError, Usage, Notice, EngineCrashed, LogFailed,
        ConsensusReached, FinalStarted, FinalDelta, FinalEnded, TurnEnded, SessionEnded,
        WorkspaceSnapshotted, FinalWorkspaceReady, ContextWritesReviewed,
    )
}

_FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {
    cls: ("seq", "ts") + tuple(f.name for f in fields(cls) if f.name not in ("seq", "ts"))
    for cls in EVENT_TYPES.values()
}


class UnknownEventType(ValueError):
    """Raised by :func:`event_from_dict` for a ``type`` this version does not know."""


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event from its :meth:`Event.to_dict` form."""
    cls = EVENT_TYPES.get(data.get("type", ""))
    if cls is None:
        raise UnknownEventType(str(data.get("type")))
    names = _FIELD_NAMES[cls]
    return cls(**{k: v for k, v in data.items() if k in names})
