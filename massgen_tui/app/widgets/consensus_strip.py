"""The sidebar in one or two lines, for when it does not fit: consensus, the leader or winner, the latest notice."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from massgen_tui.view.session_view import SessionView


def leader_id(view: SessionView) -> str | None:
    """Who would win now: most votes that count, a tie to the agent first in the config; with no
    votes the first agent with an answer (the coordinator's rule); ``None`` before any answer."""
    tally: dict[str, int] = {}
    for vote in view.votes:
        if vote.valid:
            tally[vote.target_id] = tally.get(vote.target_id, 0) + 1
    if tally:
        best = max(tally.values())
        return next((a for a in view.agents if tally.get(a) == best), None)
    return next((a for a in view.agents if a in view.answers), None)


def _named(view: SessionView, agent_id: str) -> str:
    return view.name_of(agent_id)


def strip_text(view: SessionView) -> Content:
    """``turn 1 · answers 2/3 · votes 1/3 · leader alpha(agent1)`` (``★ winner`` once there is one),
    then the turn's latest notice, if any, on a second line."""
    text = Content()
    if view.turn:
        text = text.append_text(f"turn {view.turn}", "bold")
        if view.turn_status:
            text = text.append_text(f" {view.turn_status}", "dim")
        text = text.append_text(" · ")
    text = text.append_text(f"answers {len(view.answers)}/{len(view.agents)} · votes {view.voters}/{view.live_agents}")
    if view.winner_id:
        text = text.append_text(" · ")
        text = text.append_text(f"★ winner {_named(view, view.winner_id)}", "bold $success")
    elif (leader := leader_id(view)) is not None:
        text = text.append_text(f" · leader {_named(view, leader)}")
    if view.notice:
        text = text.append_text("\n")
        text = text.append_text(f"⚠ {view.notice}", "$warning")
    return text


class ConsensusStrip(Static):
    """Shown under the agents instead of the sidebar (when the sidebar is hidden)."""

    def refresh_from(self, view: SessionView) -> None:
        """Redraw from the view."""
        self.update(strip_text(view))
