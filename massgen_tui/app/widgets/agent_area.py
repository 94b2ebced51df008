"""Where the agent panels go: a grid while every panel has room for some text, else one large panel
over one-line tickers for the others. Focus (1-9, Tab, a click on a ticker) picks the large one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.events import DescendantFocus

from massgen_tui.app.layout import MIN_TEXT_ROWS, PANEL_CHROME_ROWS, panel_columns, use_tickers
from massgen_tui.app.widgets.agent_panel import AgentPanel
from massgen_tui.app.widgets.agent_ticker import AgentTicker


class AgentArea(Vertical):
    """Every :class:`AgentPanel`, laid out for the area's own size (see :func:`use_tickers`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.panels: list[AgentPanel] = []
        self.tickers: dict[str, AgentTicker] = {}  # by agent id
        self.large: AgentPanel | None = None  # the panel focused last (at first the first)
        self.ticker_layout = False

    def compose(self) -> ComposeResult:
        yield Grid(id="agent-grid")
        yield VerticalScroll(id="agent-tickers", can_focus=False)

    def add_panels(self, panels: list[AgentPanel]) -> None:
        """Mount new panels, each with its ticker, and lay everything out again."""
        tickers = [AgentTicker(panel) for panel in panels]
        self.tickers.update((ticker.panel.agent.id, ticker) for ticker in tickers)
        self.panels += panels
        self.large = self.large or (panels[0] if panels else None)
        self.query_one("#agent-grid", Grid).mount_all(panels)
        self.query_one("#agent-tickers").mount_all(tickers)
        self.lay_out()

    def lay_out(self) -> None:
        """Pick the grid's columns, or the ticker layout, for the area's current size."""
        width, height = self.size
        if not width or not self.panels:
            return  # not laid out yet: the first Resize comes back here
        self.ticker_layout = use_tickers(len(self.panels), width, height)
        grid = self.query_one("#agent-grid", Grid)
        grid.styles.grid_size_columns = 1 if self.ticker_layout else panel_columns(len(self.panels), width)
        # The large panel keeps room for a few rows of text; more tickers than fit under it scroll.
        self.query_one("#agent-tickers").styles.max_height = max(height - PANEL_CHROME_ROWS - MIN_TEXT_ROWS, 1)
        self._show()

    def refresh_ticker(self, agent_id: str, winner: bool) -> None:
        """Redraw the agent's ticker line, if it is shown."""
        ticker = self.tickers[agent_id]
        if ticker.display:
            ticker.refresh_line(winner)

    def on_resize(self) -> None:
        self.lay_out()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        panel = next((node for node in event.widget.ancestors_with_self if isinstance(node, AgentPanel)), None)
        if panel is not None and panel is not self.large:
            self.large = panel
            self._show()

    def _show(self) -> None:
        """Show every panel (grid), or the large one and the others' tickers."""
        for panel in self.panels:
            shown = not self.ticker_layout or panel is self.large
            panel.display = shown
            ticker = self.tickers[panel.agent.id]
            if ticker.display == shown:
                ticker.display = not shown
                if ticker.display:
                    ticker.refresh_line(ticker.winner)
        self.query_one("#agent-tickers").display = self.ticker_layout
