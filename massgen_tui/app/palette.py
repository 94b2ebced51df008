"""The command palette's entries: every action of the app, each titled "Category: what it does"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from massgen_tui.app.keys import key_hint, keys_of
from massgen_tui.app.widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from massgen_tui.app.live_screen import LiveScreen
    from massgen_tui.app.main import MassGenApp


def screen_commands(screen: LiveScreen) -> Iterator[SystemCommand]:
    """The agent and view commands of a live screen, live or replayed."""
    def panel_keys(binding_id: str) -> str:  # an agent panel's keys, after the keymap
        return keys_of(screen, binding_id, TranscriptView)

    for number, panel in enumerate(screen.panels.values(), start=1):
        model = f" · {panel.agent.model}" if panel.agent.model else ""
        hint = key_hint(screen, f"focus_agent_{number}") if number < 10 else ""
        yield SystemCommand(f"Agent: focus {panel.agent.name}{model}", hint,
                            lambda n=number: screen.action_focus_agent(n))
    yield SystemCommand("Agent: zoom or unzoom the focused agent", key_hint(screen, "zoom"), screen.action_zoom)
    yield SystemCommand("Agent: search the focused agent's output",
                        f"{key_hint(screen, 'search')}, then {panel_keys('next_match')} / "
                        f"{panel_keys('previous_match')}", screen.action_search)
    yield SystemCommand("Agent: expand or collapse every tool call",
                        f"{key_hint(screen, 'tool_details')} ({panel_keys('toggle_tool_call')}: the last one in view)",
                        screen.action_toggle_tools)
    yield SystemCommand("View: final answer or agents", key_hint(screen, "final_answer"), screen.action_toggle_final)
    yield SystemCommand("View: agents' workspaces (files by answer, diffs)",
                        f"{key_hint(screen, 'workspaces')} ({panel_keys('open_tool_file')} on a tool call: its file)",
                        screen.action_workspaces)
    yield SystemCommand("View: show or hide the votes sidebar", key_hint(screen, "votes"), screen.action_toggle_sidebar)
    yield SystemCommand("View: show or hide reasoning", key_hint(screen, "reasoning"), screen.action_toggle_reasoning)


def palette_commands(app: MassGenApp) -> Iterator[SystemCommand]:
    """The commands, grouped by category, for the app's current state."""
    live = app.live
    yield from screen_commands(live)
    yield SystemCommand("View: switch theme", "Previewed while highlighted; Esc keeps the current one",
                        app.action_pick_theme)
    yield SystemCommand("Answer: copy the final answer", f"{key_hint(live, 'copy_final')} (OSC 52 clipboard)",
                        live.action_copy_final)
    yield SystemCommand("Answer: export the session to Markdown", "Writes session.md next to the log",
                        app.action_export)
    if app.running:
        yield SystemCommand("Session: cancel the run", f"{key_hint(app, 'interrupt')}; the log is kept",
                            app.action_interrupt)
    yield SystemCommand("Session: new question", key_hint(live, "ask"), live.action_ask)
    yield SystemCommand("Session: clear the conversation", "/clear: the next question starts fresh",
                        app.action_clear)
    opens = f"On {app.config.display_name}" if app.config.source is not None else "Choose a config"
    yield SystemCommand("Session: open the config editor", f"{opens}; Run there starts a new session with it",
                        app.action_edit_config)
    if app.config_warnings:
        count = len(app.config_warnings)
        yield SystemCommand(f"Session: config warnings ({count})", f"Each warning about {app.config.display_name} "
                            "with its file:line:col", app.action_config_warnings)
    yield SystemCommand("Session: open a saved session", "Browse the session logs and replay one",
                        app.action_open_saved)
    yield SystemCommand("App: keys", key_hint(app, "help"), app.action_help)
    yield SystemCommand("App: quit", key_hint(app, "quit"), app.action_quit)
