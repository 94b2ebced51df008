"""What the terminal shows, as plain text: lets tests assert on the screen the user sees."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def screen_text(app: App) -> str:
    """The current frame of ``app`` as text, one line per terminal row."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False,
                      force_terminal=True, color_system=None, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def first_panel_rows(app: App) -> list[str]:
    """The rows inside the leftmost panel (between its side borders, focused ║ or not │), stripped."""
    rows = []
    for line in screen_text(app).splitlines():
        for border in ("║", "│"):
            if line.startswith(border) and line.count(border) >= 2:
                rows.append(line.split(border)[1].strip())
                break
    return rows
