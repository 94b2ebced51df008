"""Driving the editor the way a user does: focus a field, replace its text, pick from a list."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from massgen_tui.editor import ConfigEditorApp, ConfigEditorScreen, KeyEnvironment

SIZE = (130, 40)


def editor_app(path: Path | None, keys: KeyEnvironment) -> ConfigEditorApp:
    """The ``massgen-tui config`` app on ``path`` with the test's keys."""
    return ConfigEditorApp(path, keys=keys)


def editor(pilot: Pilot) -> ConfigEditorScreen:
    """The editor screen (under any dialog)."""
    return next(s for s in pilot.app.screen_stack if isinstance(s, ConfigEditorScreen))


async def _focus_all(pilot: Pilot, selector: str | None) -> None:
    """Focus the input ``selector`` (``None``: the focused one) with all its text selected."""
    widget = pilot.app.focused if selector is None else pilot.app.screen.query_one(selector)
    if pilot.app.focused is widget:
        await pilot.press("end", "shift+home")
    else:
        widget.focus()  # an input selects its text when it gets focus
        await pilot.pause()


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    """Focus the input ``selector`` and type ``text`` over what it holds."""
    await _focus_all(pilot, selector)
    await pilot.press(*(text or ["backspace"]))


async def paste_into(pilot: Pilot, selector: str | None, text: str) -> None:
    """Focus ``selector`` (``None``: what has focus) and paste ``text`` over what it holds."""
    await _focus_all(pilot, selector)
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def choose(pilot: Pilot, selector: str, option: str) -> None:
    """Open the select ``selector``, type to find ``option`` and take it."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.press("enter", *option, "enter")
    await pilot.pause()
