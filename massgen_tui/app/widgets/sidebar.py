"""The sidebar: consensus progress, current answers, every vote, restarts and a compact timeline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from massgen_tui.app.model.session_view import SessionView

_TIMELINE_STYLE = {"error": "red", "answer": "green", "vote": "cyan", "restart": "yellow", "winner": "bold green"}


def progress_text(view: SessionView) -> Text:
    """"n of m voted", and the winner once there is one."""
    text = Text()
    if view.turn:
        text.append(f"Turn {view.turn}", style="bold")
        if view.turn_status:
            text.append(f" · {view.turn_status}", style="dim")
        text.append("\n")
    text.append(f"{view.voters} of {view.live_agents} voted", style="bold")
    if view.winner_id:
        text.append("\n★ winner: ", style="bold green")
        text.append(view.label_of(view.winner_id), style="bold green")
        if view.winner_id != view.label_of(view.winner_id):
            text.append(f" ({view.winner_id})", style="green")
    return text


def answers_text(view: SessionView) -> Text:
    """One line per current answer: label, agent, version; the winner's marked."""
    if not view.answers:
        return Text("no answers yet", style="dim")
    lines = []
    for entry in view.answers.values():
        won = entry.agent_id == view.winner_id
        line = Text("★ " if won else "• ", style="bold green" if won else "")
        line.append(entry.label, style="bold green" if won else "bold")
        line.append(f" {entry.agent_id} v{entry.version}")
        lines.append(line)
    return Text("\n").join(lines)


def votes_text(view: SessionView) -> Text:
    """Every vote of the turn: voter → target with the reason; cleared votes struck through."""
    if not view.votes:
        return Text("no votes yet", style="dim")
    lines = []
    for vote in view.votes:
        line = Text(style="" if vote.valid else "dim strike")
        line.append(view.label_of(vote.voter_id), style="bold")
        line.append(" → ")
        line.append(vote.target_label, style="bold green" if vote.target_id == view.winner_id else "bold")
        if vote.reason:
            line.append(f": {vote.reason}", style="italic")
        lines.append(line)
    return Text("\n").join(lines)


def restarts_text(view: SessionView) -> Text:
    """Each restart with its time since the turn began."""
    if not view.restarts:
        return Text("none", style="dim")
    return Text("\n").join(Text(f"+{entry.at:.1f}s {entry.text}") for entry in view.restarts)


def timeline_text(view: SessionView) -> Text:
    """The compact event timeline of the turn."""
    return Text("\n").join(
        Text(f"+{entry.at:5.1f}s {entry.text}", style=_TIMELINE_STYLE.get(entry.kind, "")) for entry in view.timeline
    )


class Sidebar(VerticalScroll):
    """Scrollable summary of the turn, redrawn from the :class:`SessionView`."""

    _SECTIONS = (
        ("progress", "Consensus", progress_text),
        ("answers", "Answers", answers_text),
        ("votes", "Votes", votes_text),
        ("restarts", "Restarts", restarts_text),
        ("timeline", "Timeline", timeline_text),
    )

    def compose(self) -> ComposeResult:
        for name, title, _ in self._SECTIONS:
            yield Static(title, classes="sidebar-title", markup=False)
            yield Static(id=f"sidebar-{name}", classes="sidebar-section", markup=False)

    def refresh_from(self, view: SessionView) -> None:
        """Redraw every section."""
        for name, _, build in self._SECTIONS:
            self.query_one(f"#sidebar-{name}", Static).update(build(view))
