"""How many panel columns fit: up to four side by side, a grid beyond, one per row when narrow."""

from __future__ import annotations

from math import ceil

MIN_PANEL_WIDTH = 32
MAX_COLUMNS = 4


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
