"""Tokens, cost and clocks as the screen and exports write them, live estimates marked ``~``.

While a reply streams, its output tokens are estimated from the characters received
(:data:`CHARS_PER_TOKEN`) until the provider's usage report replaces the estimate; the cost is
estimated from the list price the same way. These helpers only format: the numbers live in
:class:`~massgen_tui.view.session_view.AgentView` and :class:`SessionTotals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from massgen_tui.view.session_view import AgentView

#: Characters per token for the streaming estimate (about right for English text with most tokenizers).
CHARS_PER_TOKEN = 4
ESTIMATED = "~"


def estimate_tokens(chars: int) -> int:
    """The tokens ``chars`` characters of model output are estimated to be (rounded up)."""
    return -(-chars // CHARS_PER_TOKEN)


def count(tokens: int) -> str:
    """A token count in at most five characters: 950, 12.3k, 1.2M."""
    if tokens < 1000:
        return str(tokens)
    if tokens < 1_000_000:
        return f"{tokens / 1000:.1f}k"
    return f"{tokens / 1_000_000:.1f}M"


def tokens(value: int, estimated: bool) -> str:
    """A token count, ``~``-marked while part of it is an estimate."""
    return f"{ESTIMATED if estimated else ''}{count(value)}"


def money(value: float, estimated: bool = False) -> str:
    """USD with four decimals, six below a hundredth of a cent (so a short reply does not read $0.0000)."""
    digits = 6 if 0 < value < 0.0001 else 4
    return f"{ESTIMATED if estimated else ''}${value:.{digits}f}"


def cost(agent: AgentView) -> str:
    """An agent's cost: ``$0.0004``, ``~$0.0004`` while streaming, ``free`` (self-hosted) or ``cost ?``
    (no list price for its model)."""
    if agent.free:
        return "free"
    value = agent.estimated_cost
    if value is None:
        return "cost ?"
    return money(value, bool(agent.estimated_output))


def clock(seconds: float) -> str:
    """Elapsed time as ``m:ss`` (``h:mm:ss`` from an hour)."""
    whole = int(max(seconds, 0.0))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(slots=True)
class SessionTotals:
    """Every agent's figures added up; ``unpriced`` names the models whose cost is unknown."""

    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False
    cost: float = 0.0
    cost_estimated: bool = False
    priced: int = 0
    all_free: bool = True
    unpriced: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, agents: Iterable[AgentView]) -> SessionTotals:
        """The totals of ``agents`` (estimates of replies still streaming included)."""
        totals = cls()
        for agent in agents:
            totals.input_tokens += agent.input_tokens
            totals.output_tokens += agent.output_tokens + agent.estimated_output
            totals.estimated |= bool(agent.estimated_output)
            totals.all_free &= agent.free
            value = agent.estimated_cost
            if value is None:
                name = agent.model or agent.id
                if name not in totals.unpriced:
                    totals.unpriced.append(name)
            else:
                totals.cost += value
                totals.priced += not agent.free
                totals.cost_estimated |= bool(agent.estimated_output) and not agent.free
        return totals

    def tokens_text(self) -> str:
        """``in 2.1k out ~140``."""
        return f"in {count(self.input_tokens)} out {tokens(self.output_tokens, self.estimated)}"

    def cost_text(self) -> str:
        """``~$0.0012``; ``free`` when every agent is self-hosted; the unknown part named, with why."""
        if self.all_free:
            return "free (self-hosted models)"
        known = money(self.cost, self.cost_estimated)
        if not self.unpriced:
            return known
        unknown = f"cost ? (no list price for {', '.join(self.unpriced)})"
        return f"{known} + {unknown}" if self.priced else unknown
