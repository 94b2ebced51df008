"""The line over the panels: what runs (the config), the session's clock, turn, and its token and cost totals."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from massgen_tui.view import figures
from massgen_tui.view.session_view import SessionView


def session_text(view: SessionView, now: float) -> Content:
    """``team.yaml · 1:02 · turn 1 · 3 agents · in 2.1k out ~140 · ~$0.0012`` (``~``: estimated while
    replies stream); before the session opens, a note that it is starting."""
    if view.session_start_ts is None:
        return Content.styled(" starting the session…", "dim")
    text = Content.styled(f" {view.config_name or view.session_id} ", "bold")
    text = text.append_text(f"· {figures.clock(view.session_elapsed(now))} ", "bold")
    if view.turn:
        text = text.append_text(f"· turn {view.turn} ")
    agents = len(view.agents)
    text = text.append_text(f"· {agents} agent{'s' * (agents != 1)} ")
    totals = view.totals()
    return text.append_text(f"· {totals.tokens_text()} · {totals.cost_text()}")


class SessionBar(Static):
    """Redrawn from the :class:`SessionView` when figures change and every second for the clock."""

    def refresh_from(self, view: SessionView, now: float) -> None:
        """Show the session's current figures as of ``now``."""
        self.update(session_text(view, now), layout=False)
