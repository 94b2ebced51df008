"""The index of a recorded session: one small entry per event, and markers for the timeline.

The index holds no event objects: a time per event (and, for our own logs, where its line is
in the file) plus markers for the steps a user jumps between: answers, votes, restarts, round
and turn starts, the final answer.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field

from massgen_tui.events import Event
from massgen_tui.events import types as ev

ANSWER = "answer"
VOTE = "vote"
RESTART = "restart"
ROUND = "round"
FINAL = "final"
TURN_END = "turn_end"
MARKER_KINDS = (ANSWER, VOTE, RESTART, ROUND, FINAL, TURN_END)

#: The event types that can put a marker on the timeline (see ``EventIndex._marker``) ...
MARKED_TYPES: frozenset[type[Event]] = frozenset({
    ev.AnswerSubmitted, ev.VoteCast, ev.AgentRestarted, ev.TurnStarted, ev.RoundStarted, ev.FinalStarted, ev.TurnEnded,
})
#: ... and those that never do: a new event type must be added to one of the two (a test checks).
UNMARKED_TYPES: frozenset[type[Event]] = frozenset({
    ev.SessionStarted, ev.AgentStatus, ev.TextDelta, ev.ReasoningDelta, ev.ToolCallStarted, ev.ToolCallFinished,
    ev.WorkflowRejected, ev.VotesInvalidated, ev.Retrying, ev.AgentError, ev.Usage, ev.Notice, ev.EngineCrashed,
    ev.LogFailed, ev.ConsensusReached, ev.FinalDelta, ev.FinalEnded, ev.SessionEnded, ev.WorkspaceSnapshotted,
    ev.FinalWorkspaceReady, ev.ContextWritesReviewed,
})


@dataclass(frozen=True, slots=True)
class Marker:
    """A notable event: ``position`` is the replay position just after it (events applied)."""

    position: int
    kind: str
    text: str


@dataclass(slots=True)
class EventIndex:
    """Times and file places of every readable event, the markers, and what could not be read."""

    times: array[float] = field(default_factory=lambda: array("d"))
    offsets: array[int] = field(default_factory=lambda: array("q"))
    lengths: array[int] = field(default_factory=lambda: array("l"))
    markers: list[Marker] = field(default_factory=list)
    damaged_lines: list[int] = field(default_factory=list)
    unknown_types: Counter[str] = field(default_factory=Counter)
    complete: bool = False
    #: The log's schema when it is newer than this version reads (0: not newer).
    newer_schema: int = 0
    _round_frontier: int = -1

    def __len__(self) -> int:
        return len(self.times)

    def add(self, event: Event, offset: int = 0, length: int = 0) -> None:
        """Record the next event (its line at ``offset``, ``length`` bytes long, for a file)."""
        self.times.append(event.ts)
        self.offsets.append(offset)
        self.lengths.append(length)
        if isinstance(event, ev.SessionStarted) and event.schema > ev.SCHEMA_VERSION:
            self.newer_schema = event.schema
        marker = self._marker(event, len(self.times))
        if marker is not None:
            self.markers.append(marker)

    def _marker(self, event: Event, position: int) -> Marker | None:
        if type(event) not in MARKED_TYPES:
            return None
        if isinstance(event, ev.AnswerSubmitted):
            return Marker(position, ANSWER, f"{event.label} answered (v{event.version})")
        if isinstance(event, ev.VoteCast):
            return Marker(position, VOTE, f"{event.agent_id} voted {event.target_label}")
        if isinstance(event, ev.AgentRestarted):
            return Marker(position, RESTART, f"{event.agent_id} restarted")
        if isinstance(event, ev.TurnStarted):
            self._round_frontier = 0
            return Marker(position, ROUND, f"turn {event.turn} round 1")
        if isinstance(event, ev.RoundStarted) and event.round > self._round_frontier:
            self._round_frontier = event.round
            return Marker(position, ROUND, f"round {event.round + 1}")
        if isinstance(event, ev.FinalStarted):
            return Marker(position, FINAL, f"{event.agent_id} presents the final answer")
        if isinstance(event, ev.TurnEnded):
            return Marker(position, TURN_END, f"turn {event.turn} {event.status}")
        return None

    def warnings(self) -> list[str]:
        """What a user should know about the file: damaged lines, skipped event types."""
        found = []
        if self.newer_schema:
            found.append(f"written by a newer massgen-tui (log schema {self.newer_schema}; this version reads "
                         f"{ev.SCHEMA_VERSION}): what it does not know is skipped")
        if self.damaged_lines:
            shown = ", ".join(map(str, self.damaged_lines[:10]))
            more = f" and {len(self.damaged_lines) - 10} more" if len(self.damaged_lines) > 10 else ""
            found.append(f"skipped {len(self.damaged_lines)} damaged line(s): {shown}{more}")
        if self.unknown_types:
            kinds = ", ".join(f"{name} ×{count}" for name, count in sorted(self.unknown_types.items()))
            found.append(f"skipped {sum(self.unknown_types.values())} event(s) of unknown type: {kinds}")
        return found
