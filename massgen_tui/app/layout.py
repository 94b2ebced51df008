"""How many panel columns fit: up to four side by side, a grid beyond, one per row when narrow."""

from __future__ import annotations

from math import ceil

MIN_PANEL_WIDTH = 32
MAX_COLUMNS = 4


def panel_columns(agents: int, width: int) -> int:
    """Columns for ``agents`` panels in ``width`` cells."""
    if agents <= 1:
        return 1
    rows = ceil(agents / MAX_COLUMNS)
    wanted = ceil(agents / rows)
    return max(1, min(wanted, width // MIN_PANEL_WIDTH))
