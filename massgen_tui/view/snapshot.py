"""The view's snapshot and restore: a small copy of a :class:`SessionView` that can be put back later.

Replay checkpoints are made of these, so a replay can jump anywhere without re-applying everything.
Transcripts only grow, and nearly every line is final once written, so a transcript's state at
any moment is small relative to the whole session's transcript (:class:`TranscriptState`: a count,
the last line, the tool calls still running). A snapshot keeps that per agent plus a copy of the
small state (headers, answers, votes, timeline...). Restoring one truncates or extends the
screen's own transcripts in place, so their row layout is redone only from the first changed line.
This module is the one place that knows the view's attributes besides the view itself.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from typing import Any

from massgen_tui.view.session_view import AgentView, SessionView
from massgen_tui.view.transcript import TranscriptState

# View attributes that are the user's choices, not the session's state.
_UI_STATE = frozenset({"agents", "show_reasoning"})
_AGENT_FIELDS = tuple(f.name for f in fields(AgentView) if f.name != "transcript")


@dataclass(frozen=True, slots=True)
class ViewSnapshot:
    """A :class:`SessionView` at one moment."""

    state: dict[str, Any]
    agents: dict[str, tuple[dict[str, Any], TranscriptState]]


def _copied(value: Any) -> Any:
    """Containers copied two levels deep (their entries are small dataclasses); anything else as is."""
    if isinstance(value, list):
        return [copy.copy(item) for item in value]
    if isinstance(value, dict):
        return {key: copy.copy(item) for key, item in value.items()}
    return value


def snapshot(view: SessionView) -> ViewSnapshot:
    """A snapshot of ``view`` as it is now."""
    state = {name: _copied(value) for name, value in vars(view).items() if name not in _UI_STATE}
    agents = {
        agent_id: ({name: _copied(getattr(agent, name)) for name in _AGENT_FIELDS}, agent.transcript.state())
        for agent_id, agent in view.agents.items()
    }
    return ViewSnapshot(state, agents)


def restore(view: SessionView, saved: ViewSnapshot, whole: SessionView) -> bool:
    """Make ``view`` what it was at ``saved``; ``whole`` holds the transcripts of the whole session
    (or at least up to the snapshot). Returns whether agents were added to ``view``."""
    for name, value in saved.state.items():
        setattr(view, name, _copied(value))
    added = False
    for agent_id, (fields_of, mark) in saved.agents.items():
        agent = view.agents.get(agent_id)
        if agent is None:
            agent = view.agents[agent_id] = AgentView(id=agent_id)
            agent.transcript.show_reasoning = view.show_reasoning
            added = True
        for name, value in fields_of.items():
            setattr(agent, name, _copied(value))
        agent.transcript.rewind(mark, whole.agents[agent_id].transcript)
    for agent_id, agent in view.agents.items():
        if agent_id not in saved.agents:  # appeared later in the session: back to nothing
            blank = AgentView(id=agent_id)
            for name in _AGENT_FIELDS:
                setattr(agent, name, getattr(blank, name))
            agent.transcript.rewind(TranscriptState(), agent.transcript)
    return added
