"""Every bundled theme is legible: WCAG contrast of what a transcript really draws, in truecolor and 256 colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.style import Style
from textual.geometry import Offset
from textual.selection import Selection

from massgen_tui.app.themes import bundled_theme_dir, load_theme
from massgen_tui.view import transcript as tk
from tests.app import scenarios

THEMES = sorted(p.stem for p in Path(bundled_theme_dir()).glob("*.yaml"))
SIZE = (70, 12)


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of a colour as the terminal shows it."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(style: Style, *, colors: ColorSystem = ColorSystem.TRUECOLOR) -> float:
    """The contrast ratio of a style's text on its background, after the terminal's colour downgrade."""
    lighter, darker = sorted((luminance(style.color.downgrade(colors)), luminance(style.bgcolor.downgrade(colors))),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def drawn_style(view, row: int, column: int = 0) -> Style:
    """The style of the cell at ``column`` of transcript ``row``, as the view paints it."""
    strip = view.render_line(row - round(view.scroll_offset.y))
    for segment in strip:
        if column < len(segment.text):
            return segment.style
        column -= len(segment.text)
    raise AssertionError(f"row {row} has no column {column}")


def first_row(view, kind: str) -> int:
    transcript = view.transcript
    return next(r for r in range(transcript.row_count) if transcript.kinds[transcript.row(r)[0]] == kind)


def themed(theme: str):
    """A ``run_before`` that switches to bundled ``theme`` and selects "The answer" in alpha's panel."""
    async def run_before(pilot) -> None:
        app = pilot.app
        app.register_theme(load_theme(bundled_theme_dir() / f"{theme}.yaml"))
        app.theme = theme
        await pilot.pause()
        view = app.live.panels["alpha"].view
        row = first_row(view, tk.TEXT)
        app.screen.selections = {view: Selection(Offset(0, row), Offset(10, row))}
        await pilot.pause()

    return run_before


async def theme_styles(theme: str) -> dict[str, Style]:
    """Body text, reasoning, selected text and the panel border as drawn in an agent panel under ``theme``."""
    app = scenarios.ScreenApp(scenarios.thinking().events)
    async with app.run_test(size=SIZE) as pilot:
        await themed(theme)(pilot)
        view = app.live.panels["alpha"].view
        text_row = first_row(view, tk.TEXT)
        text = drawn_style(view, text_row, 12)
        border = app.live.panels["alpha"].styles.border_top[1]
        return {"text": text, "selected": drawn_style(view, text_row),
                "reasoning": drawn_style(view, first_row(view, tk.REASONING)),
                "border": Style(color=border.rich_color, bgcolor=text.bgcolor)}


@pytest.mark.parametrize("theme", THEMES)
async def test_body_text_reasoning_and_selection_are_legible(theme):
    styles = await theme_styles(theme)
    text, reasoning, selected, border = (styles[k] for k in ("text", "reasoning", "selected", "border"))
    assert reasoning.italic
    for colors in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT):  # Textual downgrades to the 256 palette
        assert contrast(text, colors=colors) >= 4.5
        assert 3 <= contrast(reasoning, colors=colors) < contrast(text, colors=colors)  # dimmed, yet readable
        assert contrast(selected, colors=colors) >= 4.5
        assert selected.bgcolor.downgrade(colors) != text.bgcolor.downgrade(colors)  # the selection shows
        assert contrast(border, colors=colors) >= 3  # the panel's outline (WCAG non-text contrast)


@pytest.mark.parametrize("theme", THEMES)
def test_reasoning_and_a_selection_in_each_theme(snap_compare, theme):
    assert snap_compare(scenarios.ScreenApp(scenarios.thinking().events), terminal_size=SIZE, run_before=themed(theme))
