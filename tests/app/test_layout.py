"""Panel columns for agent counts and terminal widths."""

import pytest

from massgen_tui.app.layout import panel_columns


@pytest.mark.parametrize(("agents", "width", "columns"), [
    (1, 200, 1), (3, 160, 3), (4, 200, 4),   # side by side when they fit
    (3, 80, 1), (2, 40, 1),                  # one per row when narrow
    (4, 100, 2),                             # 2x2 rather than a ragged grid
    (8, 200, 4), (6, 200, 3), (5, 200, 3),   # a grid beyond four
    (8, 70, 2),
])
def test_panel_columns(agents, width, columns):
    assert panel_columns(agents, width) == columns
