"""Small checkpoints of a :class:`SessionView`, so a replay can jump anywhere without re-applying everything.

Transcripts only grow, and every line but the last is final once written, so the state of a
transcript at any moment is the first ``n - 1`` lines of the whole session's transcript plus the
last line as it was then. A checkpoint keeps exactly that per agent (a count and one string)
plus a copy of the small state (headers, answers, votes, timeline...). Restoring one truncates
or extends the screen's own transcripts in place, so their row layout is redone only from the
first line that changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from typing import Any

from massgen_tui.app.model.session_view import AgentView, SessionView
from massgen_tui.app.model.transcript import Transcript

# View attributes that are the user's choices, not the session's state.
_UI_STATE = frozenset({"agents", "show_reasoning"})
_AGENT_FIELDS = tuple(f.name for f in fields(AgentView) if f.name != "transcript")


@dataclass(frozen=True, slots=True)
class TranscriptMark:
    """A transcript as it was: its line count, its last line and whether that line was still streaming."""

    lines: int
    last_kind: str
    last_text: str
    open: bool


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The view after ``position`` events."""

    position: int
    state: dict[str, Any]
    agents: dict[str, tuple[dict[str, Any], TranscriptMark]]


def _copied(value: Any) -> Any:
    """Containers copied two levels deep (their entries are small dataclasses); anything else as is."""
    if isinstance(value, list):
        return [copy.copy(item) for item in value]
    if isinstance(value, dict):
        return {key: copy.copy(item) for key, item in value.items()}
    return value


def _mark(transcript: Transcript) -> TranscriptMark:
    if not transcript.texts:
        return TranscriptMark(0, "", "", False)
    return TranscriptMark(len(transcript.texts), transcript.kinds[-1], transcript.texts[-1], transcript._open)


def capture(view: SessionView, position: int) -> Checkpoint:
    """A checkpoint of ``view`` after ``position`` events."""
    state = {name: _copied(value) for name, value in vars(view).items() if name not in _UI_STATE}
    agents = {
        agent_id: ({name: _copied(getattr(agent, name)) for name in _AGENT_FIELDS}, _mark(agent.transcript))
        for agent_id, agent in view.agents.items()
    }
    return Checkpoint(position, state, agents)


def restore(view: SessionView, checkpoint: Checkpoint, whole: SessionView) -> bool:
    """Make ``view`` what it was at ``checkpoint``; ``whole`` holds the transcripts of the whole session
    (or at least up to the checkpoint). Returns whether agents were added to ``view``."""
    for name, value in checkpoint.state.items():
        setattr(view, name, _copied(value))
    added = False
    for agent_id, (saved, mark) in checkpoint.agents.items():
        agent = view.agents.get(agent_id)
        if agent is None:
            agent = view.agents[agent_id] = AgentView(id=agent_id)
            agent.transcript.show_reasoning = view.show_reasoning
            added = True
        for name, value in saved.items():
            setattr(agent, name, _copied(value))
        _restore_transcript(agent.transcript, mark, whole.agents[agent_id].transcript)
    empty = TranscriptMark(0, "", "", False)
    for agent_id, agent in view.agents.items():
        if agent_id not in checkpoint.agents:  # appeared later in the session: back to nothing
            blank = AgentView(id=agent_id)
            for name in _AGENT_FIELDS:
                setattr(agent, name, getattr(blank, name))
            _restore_transcript(agent.transcript, empty, agent.transcript)
    return added


def _restore_transcript(transcript: Transcript, mark: TranscriptMark, whole: Transcript) -> None:
    """Cut or extend ``transcript`` in place to ``mark``, taking final lines from ``whole``."""
    count = mark.lines
    keep = max(min(len(transcript.texts) - 1, count - 1), 0)  # lines both sides agree on
    del transcript.kinds[keep:]
    del transcript.texts[keep:]
    if count:
        transcript.kinds.extend(whole.kinds[keep:count - 1])
        transcript.texts.extend(whole.texts[keep:count - 1])
        transcript.kinds.append(mark.last_kind)
        transcript.texts.append(mark.last_text)
    transcript._open = mark.open
    transcript._touch(keep)
    if transcript._width:  # keep the rows valid now: a hidden panel is not laid out until shown
        transcript.layout(transcript._width)
    if transcript.query:
        transcript.search(transcript.query)
