"""Tools beyond the workflow: what a tool call gives back, and what the coordinator needs from a tool provider.

Providers (MCP servers, the workspace's file and command tools) implement :class:`ExternalTools`; the
coordinator only calls it. Both live here, with the tools, so a provider needs nothing from the coordination.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from massgen_tui.backends.base import ToolCall, ToolSpec


@dataclass(slots=True, frozen=True)
class ToolOutcome:
    """What a tool call returns to the model: its text, and whether it failed."""

    text: str
    is_error: bool = False


class ExternalTools(Protocol):
    """Tools an agent may call mid-turn; the model sees each result and continues."""

    def specs(self, agent_id: str) -> list[ToolSpec]:
        """The tools offered to ``agent_id``."""
        ...

    async def call(self, agent_id: str, call: ToolCall) -> ToolOutcome:
        """Run ``call`` for ``agent_id``; failures come back as ``is_error`` outcomes, never raised."""
        ...
