"""One agent's panel: a two-line header over its scrollable transcript."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from massgen_tui.app.widgets.transcript_view import TranscriptView
from massgen_tui.events import types as ev
from massgen_tui.view import figures
from massgen_tui.view.session_view import AgentView

STATUS_STYLE = {
    ev.FAILED: "bold $error", ev.WINNER: "bold $success", ev.ANSWERED: "$success", ev.VOTED: "$accent",
    ev.RESTARTING: "$warning", ev.RETRYING: "$warning", ev.CANCELLED: "$error", ev.WAITING: "dim",
}
"""How each status word is styled, in panel headers and tickers."""


def shown_status(agent: AgentView, winner: bool) -> str:
    """The status to show: the winner's is ``winner`` (unless it failed), the others' their own."""
    return ev.WINNER if winner and agent.status != ev.FAILED else agent.status


def header_text(agent: AgentView, number: int, now: float, winner: bool, new_rows: int, width: int = 0) -> Content:
    """Two lines: number (config order), name (id and anonymous label) and model; then the new-lines hint,
    status, elapsed, tokens, cost (``~`` while estimated from a streaming reply).

    When the facts would not fit in ``width`` cells they take a compact form (``12s 1.2k/~80 ~$0.0004``),
    so a narrow panel still shows the cost.
    """
    status = shown_status(agent, winner)
    title = Content()
    title = title.append_text(f" {number} ", "bold reverse")
    title = title.append_text(f" {agent.name}", "bold")
    if agent.model:
        title = title.append_text(f" · {agent.model}")
    facts = Content()
    if new_rows:
        facts = facts.append_text(f"↓ {new_rows} new lines (End) ", "bold reverse")
    facts = facts.append_text(status.upper(), STATUS_STYLE.get(status, "bold"))
    if status == ev.FAILED:
        facts = facts.append_text(f" {agent.detail}", "$error")
        return Content("\n").join((title, facts))
    cost = figures.cost(agent)
    estimating = bool(agent.estimated_output)
    output = figures.tokens(agent.output_tokens + agent.estimated_output, estimating)
    numbers = f" {agent.elapsed(now):.1f}s · in {figures.count(agent.input_tokens)} out {output} · {cost}"
    ellipsis = 1 if agent.detail else 0  # a detail after the numbers is cut with an ellipsis cell
    if width and facts.cell_length + len(numbers) + ellipsis > width:
        numbers = f" {agent.elapsed(now):.0f}s {figures.count(agent.input_tokens)}/{output} {cost}"
    facts = facts.append_text(numbers, "dim")
    if agent.detail:
        facts = facts.append_text(f" · {agent.detail}", "dim")
    return Content("\n").join((title, facts))


class AgentPanel(Vertical):
    """A header and a :class:`TranscriptView` for one agent."""

    ALLOW_MAXIMIZE = True

    def __init__(self, agent: AgentView, number: int) -> None:
        super().__init__(classes="agent-panel", id=f"panel-{number}")
        self.agent = agent
        self.number = number
        self.header = Static(classes="agent-header", markup=False)
        self.view = TranscriptView(agent.transcript, classes="agent-transcript")
        self._header_state = (0.0, False)

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.view

    def refresh_header(self, now: float, winner: bool) -> None:
        """Redraw the header and the panel's status class."""
        self._header_state = (now, winner)
        status = shown_status(self.agent, winner)
        for name in (ev.FAILED, ev.WINNER, ev.CANCELLED):
            self.set_class(status == name, f"-{name}")
        text = header_text(self.agent, self.number, now, winner, self.view.new_rows, self.header.content_size.width)
        self.header.update(text, layout=False)

    def on_resize(self) -> None:
        self.refresh_header(*self._header_state)
