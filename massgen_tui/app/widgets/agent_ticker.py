"""A one-line stand-in for an agent panel: number, id, status and the last line of its output."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.events import Click
from textual.widgets import Static

from massgen_tui.app.widgets.agent_panel import STATUS_STYLE, AgentPanel, shown_status
from massgen_tui.view import transcript as tk
from massgen_tui.view.session_view import AgentView

_LOOK_BACK = 8  # lines searched backwards for one with text (an answer ends with an empty line, say)


def last_line(agent: AgentView) -> tuple[str, str]:
    """The kind and text of the agent's last line with text (reasoning skipped while hidden)."""
    transcript = agent.transcript
    for index in range(len(transcript) - 1, max(len(transcript) - 1 - _LOOK_BACK, -1), -1):
        kind, text = transcript.kinds[index], transcript.texts[index].strip()
        if text and (kind != tk.REASONING or transcript.show_reasoning):
            return kind, text
    return "", ""


def ticker_text(agent: AgentView, number: int, winner: bool, width: int) -> Content:
    """`` 3  gamma STREAMING  …the end of its last line``: the tail shows, where new words arrive."""
    status = shown_status(agent, winner)
    text = Content()
    text = text.append_text(f" {number} ", "bold reverse")
    text = text.append_text(f" {agent.id} ", "bold")
    text = text.append_text(status.upper(), STATUS_STYLE.get(status, "bold"))
    kind, line = last_line(agent)
    if line:
        room = width - text.cell_length - 2
        if room > 0 and cell_len(line) > room:
            line = "…" + line[-(room - 1):] if room > 1 else "…"
        text = text.append_text("  ")
        text = text.append_text(line, "dim italic" if kind == tk.REASONING else "")
    return text


class AgentTicker(Static):
    """One line for an :class:`AgentPanel` that is not shown; a click shows (and focuses) the panel."""

    def __init__(self, panel: AgentPanel) -> None:
        super().__init__(classes="agent-ticker", id=f"ticker-{panel.number}", markup=False)
        self.panel = panel
        self.winner = False
        self.display = False  # until the area uses the ticker layout

    def refresh_line(self, winner: bool) -> None:
        """Redraw the line (only this widget's one row)."""
        self.winner = winner
        self.update(ticker_text(self.panel.agent, self.panel.number, winner, self.content_size.width), layout=False)

    def on_resize(self) -> None:
        self.refresh_line(self.winner)

    def on_click(self, event: Click) -> None:
        event.stop()
        self.panel.view.focus()
