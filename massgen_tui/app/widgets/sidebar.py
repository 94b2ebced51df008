"""The sidebar: consensus progress, current answers, every vote, restarts and a compact timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from massgen_tui.view.session_view import SessionView

TIMELINE_ENTRIES = 40

_TIMELINE_STYLE = {
    "error": "$error", "answer": "$success", "vote": "$accent", "restart": "$warning", "winner": "bold $success",
}


def progress_text(view: SessionView) -> Content:
    """"n of m voted", and the winner once there is one."""
    text = Content()
    if view.turn:
        text = text.append_text(f"Turn {view.turn}", "bold")
        if view.turn_status:
            text = text.append_text(f" · {view.turn_status}", "dim")
        text = text.append_text("\n")
    text = text.append_text(f"{view.voters} of {view.live_agents} voted", "bold")
    if view.winner_id:
        text = text.append_text("\n★ winner: ", "bold $success")
        text = text.append_text(view.name_of(view.winner_id), "bold $success")
    return text


def answers_text(view: SessionView) -> Content:
    """One line per current answer: the agent (id and label), version; the winner's marked."""
    if not view.answers:
        return Content.styled("no answers yet", "dim")
    lines = []
    for entry in view.answers.values():
        won = entry.agent_id == view.winner_id
        line = Content.styled("★ " if won else "• ", "bold $success" if won else "")
        line = line.append_text(view.name_of(entry.agent_id), "bold $success" if won else "bold")
        line = line.append_text(f" v{entry.version}")
        lines.append(line)
    return Content("\n").join(lines)


def votes_text(view: SessionView) -> Content:
    """Every vote of the turn: voter → target with the reason; cleared votes struck through."""
    if not view.votes:
        return Content.styled("no votes yet", "dim")
    lines = []
    for vote in view.votes:
        line = Content()
        line = line.append_text(view.name_of(vote.voter_id), "bold")
        line = line.append_text(" → ")
        line = line.append_text(view.name_of(vote.target_id),
                                "bold $success" if vote.target_id == view.winner_id else "bold")
        if vote.reason:
            line = line.append_text(f": {vote.reason}", "italic")
        lines.append(line if vote.valid else line.stylize("dim strike"))
    return Content("\n").join(lines)


def tools_text(view: SessionView) -> Content:
    """Tool calls per agent (the workflow's answer and vote calls not counted), with errors."""
    lines = []
    for agent in view.agents.values():
        if agent.tool_calls:
            line = Content.styled(agent.name, "bold")
            line = line.append_text(f" {agent.tool_calls} call{'s' if agent.tool_calls != 1 else ''}")
            if agent.tool_errors:
                line = line.append_text(f", {agent.tool_errors} failed", "$error")
            lines.append(line)
    return Content("\n").join(lines)


def restarts_text(view: SessionView) -> Content:
    """Each restart with its time since the turn began."""
    if not view.restarts:
        return Content.styled("none", "dim")
    return Content("\n").join(Content(f"+{entry.at:.1f}s {entry.text}") for entry in view.restarts)


def timeline_text(view: SessionView) -> Content:
    """The compact event timeline of the turn: its latest entries (redrawing hundreds on every change
    would cost more than a frame; the log, replay and export keep them all)."""
    shown = view.timeline[-TIMELINE_ENTRIES:]
    lines = [Content.styled(f"+{entry.at:5.1f}s {entry.text}", _TIMELINE_STYLE.get(entry.kind, ""))
             for entry in shown]
    if len(view.timeline) > len(shown):
        lines.insert(0, Content.styled(f"… {len(view.timeline) - len(shown)} earlier", "dim"))
    return Content("\n").join(lines)


class Sidebar(VerticalScroll):
    """Scrollable summary of the turn, redrawn from the :class:`SessionView`."""

    _SECTIONS = (
        ("progress", "Consensus", progress_text),
        ("answers", "Answers", answers_text),
        ("votes", "Votes", votes_text),
        ("tools", "Tool calls", tools_text),
        ("restarts", "Restarts", restarts_text),
        ("timeline", "Timeline", timeline_text),
    )

    def compose(self) -> ComposeResult:
        for name, title, _ in self._SECTIONS:
            yield Static(title, id=f"sidebar-{name}-title", classes="sidebar-title", markup=False)
            yield Static(id=f"sidebar-{name}", classes="sidebar-section", markup=False)

    def refresh_from(self, view: SessionView) -> None:
        """Redraw every section; an empty one goes, title and all (only tool calls can be empty)."""
        for name, _, build in self._SECTIONS:
            content = build(view)
            shown = bool(content.plain)
            self.query_one(f"#sidebar-{name}-title").display = shown
            section = self.query_one(f"#sidebar-{name}", Static)
            section.display = shown
            section.update(content)
