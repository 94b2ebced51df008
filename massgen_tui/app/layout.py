"""How the agent panels are arranged: up to four side by side, a grid beyond, one per row when narrow;
and, when the grid would leave a panel too few rows of text, one large panel over one-line tickers."""

from __future__ import annotations

from math import ceil

MIN_PANEL_WIDTH = 32
MAX_COLUMNS = 4
PANEL_CHROME_ROWS = 4
"""Rows of a panel that are not its text: the border's top and bottom and the two-line header."""
MIN_TEXT_ROWS = 2
"""Rows of text a panel needs to be worth a panel; with fewer, the others become tickers."""


def panel_columns(agents: int, width: int) -> int:
    """Columns for ``agents`` panels in ``width`` cells.

    Up to four agents sit side by side when they fit; otherwise the widest grid without an
    empty cell (2x2 for four, one per row for three). More agents fill rows of up to four.
    """
    fits = max(1, width // MIN_PANEL_WIDTH)
    if agents <= MAX_COLUMNS:
        if agents <= fits:
            return max(agents, 1)
        return next(c for c in range(fits, 0, -1) if agents % c == 0)
    rows = ceil(agents / MAX_COLUMNS)
    return min(ceil(agents / rows), fits)


def grid_text_rows(agents: int, width: int, height: int) -> int:
    """Rows of text the shortest panel gets when ``agents`` panels share ``width`` x ``height`` in a grid."""
    rows = ceil(agents / panel_columns(agents, width))
    return height // rows - PANEL_CHROME_ROWS


def use_tickers(agents: int, width: int, height: int) -> bool:
    """Whether ``agents`` panels need the ticker layout in ``width`` x ``height`` cells (see :data:`MIN_TEXT_ROWS`)."""
    return agents > 1 and grid_text_rows(agents, width, height) < MIN_TEXT_ROWS
