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
    """The panel header: who, which model, status; then tokens, cost, elapsed and the new-lines hint."""
    status = ev.WINNER if winner and agent.status not in (ev.FAILED,) else agent.status
    title = Text()
    title.append(f"{number} ", style="bold reverse")
    title.append(f" {agent.id}", style="bold")
    if agent.label and agent.label != agent.id:
        title.append(f" ({agent.label})", style="dim")
    if agent.model:
        title.append(f" · {agent.model}")
    title.append("  ")
    title.append(status.upper(), style=_STATUS_STYLE.get(status, "bold"))
    if agent.detail and status != ev.FAILED:
        title.append(f" {agent.detail}", style="dim")
    cost = f"${agent.cost:.4f}" if agent.cost_known else "cost ?"
    facts = Text(f"in {agent.input_tokens:,} · out {agent.output_tokens:,} · {cost} · {agent.elapsed(now):.1f}s",
                 style="dim")
    if new_rows:
        facts.append(f"  ↓ {new_rows} new lines (End)", style="bold yellow")
    if status == ev.FAILED and agent.detail:
        facts = Text(f"failed: {agent.detail}", style="bold red")
    return Text("\n").join((title, facts))


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
        self.header.update(header_text(self.agent, self.number, now, winner, self.view.new_rows))
