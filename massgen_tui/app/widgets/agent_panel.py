"""One agent's panel: a two-line header over its scrollable transcript."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from massgen_tui.app.model.session_view import AgentView
from massgen_tui.app.widgets.transcript_view import TranscriptView
from massgen_tui.events import types as ev

_STATUS_STYLE = {
    ev.FAILED: "bold red", ev.WINNER: "bold green", ev.ANSWERED: "green", ev.VOTED: "cyan",
    ev.RESTARTING: "yellow", ev.RETRYING: "yellow", ev.CANCELLED: "red", ev.WAITING: "dim",
}


def header_text(agent: AgentView, number: int, now: float, winner: bool, new_rows: int) -> Text:
    """Two lines: number, id, label and model; then the new-lines hint, status, elapsed, tokens, cost."""
    status = ev.WINNER if winner and agent.status != ev.FAILED else agent.status
    title = Text()
    title.append(f" {number} ", style="bold reverse")
    title.append(f" {agent.id}", style="bold")
    if agent.label and agent.label != agent.id:
        title.append(f" ({agent.label})", style="dim")
    if agent.model:
        title.append(f" · {agent.model}")
    facts = Text()
    if new_rows:
        facts.append(f"↓ {new_rows} new lines (End) ", style="bold reverse")
    facts.append(status.upper(), style=_STATUS_STYLE.get(status, "bold"))
    if status == ev.FAILED:
        facts.append(f" {agent.detail}", style="red")
        return Text("\n").join((title, facts))
    cost = f"${agent.cost:.4f}" if agent.cost_known else "cost ?"
    facts.append(f" {agent.elapsed(now):.1f}s · in {_count(agent.input_tokens)} out {_count(agent.output_tokens)}"
                 f" · {cost}", style="dim")
    if agent.detail:
        facts.append(f" · {agent.detail}", style="dim")
    return Text("\n").join((title, facts))


def _count(tokens: int) -> str:
    """A token count in at most five characters: 950, 12.3k, 1.2M."""
    if tokens < 1000:
        return str(tokens)
    if tokens < 1_000_000:
        return f"{tokens / 1000:.1f}k"
    return f"{tokens / 1_000_000:.1f}M"


class AgentPanel(Vertical):
    """A header and a :class:`TranscriptView` for one agent."""

    ALLOW_MAXIMIZE = True

    def __init__(self, agent: AgentView, number: int) -> None:
        super().__init__(classes="agent-panel", id=f"panel-{number}")
        self.agent = agent
        self.number = number
        self.header = Static(classes="agent-header", markup=False)
        self.view = TranscriptView(agent.transcript, classes="agent-transcript")

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.view

    def refresh_header(self, now: float, winner: bool) -> None:
        """Redraw the header and the panel's status class."""
        status = ev.WINNER if winner and self.agent.status != ev.FAILED else self.agent.status
        for name in (ev.FAILED, ev.WINNER, ev.CANCELLED):
            self.set_class(status == name, f"-{name}")
        self.header.update(header_text(self.agent, self.number, now, winner, self.view.new_rows), layout=False)
