"""Panel columns for agent counts and terminal widths."""

import pytest

from massgen_tui.app.layout import panel_columns, use_tickers


@pytest.mark.parametrize(("agents", "width", "columns"), [
    (1, 200, 1), (3, 160, 3), (4, 200, 4),   # side by side when they fit
    (3, 80, 1), (2, 40, 1),                  # one per row when narrow
    (4, 100, 2),                             # 2x2 rather than a ragged grid
    (8, 200, 4), (6, 200, 3), (5, 200, 3),   # a grid beyond four
    (8, 70, 2),
])
def test_panel_columns(agents, width, columns):
    assert panel_columns(agents, width) == columns


@pytest.mark.parametrize(("agents", "width", "height", "tickers"), [
    (3, 80, 21, False), (3, 80, 20, False),  # 80x24: three panels one per row keep 2-3 rows of text each
    (6, 80, 21, False), (8, 80, 21, True),   # a 2x4 grid would leave one row: tickers
    (12, 80, 21, True), (12, 166, 48, False),  # 12 agents at 80x24 / beside the sidebar at 200x50
    (1, 80, 5, False),                       # one agent is always a panel
])
def test_the_ticker_layout_when_a_grid_panel_would_get_under_two_rows_of_text(agents, width, height, tickers):
    assert use_tickers(agents, width, height) == tickers


def test_a_narrow_panel_header_keeps_the_cost_in_a_compact_form():
    from massgen_tui.app.widgets.agent_panel import header_text
    from massgen_tui.view.session_view import AgentView

    agent = AgentView(id="alpha", label="agent1", model="gpt-4o-mini", status="streaming", input_tokens=1200,
                      output_tokens=80, cost=0.00042, usage_reports=1, start_ts=100.0)
    wide = header_text(agent, 1, now=112.34, winner=False, new_rows=0, width=80).plain.splitlines()[1]
    narrow = header_text(agent, 1, now=112.34, winner=False, new_rows=0, width=34).plain.splitlines()[1]
    assert wide == "STREAMING 12.3s · in 1.2k out 80 · $0.0004"
    assert narrow == "STREAMING 12s 1.2k/80 $0.0004"
