"""One agent's live state inside a session: its backend, label, status, answers, vote and usage."""

from __future__ import annotations

from dataclasses import dataclass, field

from massgen_tui.backends.base import Backend, UsageReport
from massgen_tui.config.model import AgentConfig
from massgen_tui.events.types import WAITING


@dataclass(slots=True)
class Vote:
    """A vote cast in the current answer generation."""

    target_id: str
    label: str
    reason: str


@dataclass(slots=True)
class UsageTotals:
    """Token and cost totals of one agent over the whole session."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True

    def add(self, usage: UsageReport, cost: float | None) -> None:
        """Count one call's usage; an unpriced call makes the cost unknown."""
        self.calls += 1
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        self.reasoning_tokens += usage.reasoning_tokens
        self.cached_tokens += usage.cached_tokens
        if cost is None:
            self.cost_known = False
        else:
            self.cost += cost

    def as_dict(self) -> dict[str, object]:
        """JSON form; ``cost`` is ``None`` when any call had no known price."""
        return {
            "calls": self.calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "reasoning_tokens": self.reasoning_tokens,
            "cached_tokens": self.cached_tokens,
            "cost": round(self.cost, 6) if self.cost_known else None,
        }


@dataclass(slots=True, eq=False)
class AgentRuntime:
    """An agent taking part in a session (compared by identity).

    ``backend`` is ``None`` when it could not be created.
    """

    config: AgentConfig
    label: str
    backend: Backend | None
    setup_error: str = ""
    status: str = WAITING
    failed: bool = False
    answers: list[str] = field(default_factory=list)
    vote: Vote | None = None
    round: int = -1
    usage: UsageTotals = field(default_factory=UsageTotals)

    @property
    def id(self) -> str:
        """The agent's id from the config."""
        return self.config.id

    def reset_for_turn(self) -> None:
        """Forget the previous turn's answers, vote, rounds and failure."""
        self.failed = False
        self.answers = []
        self.vote = None
        self.round = -1
        self.status = WAITING
