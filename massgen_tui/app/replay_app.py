"""``massgen-tui replay``: an app holding the session browser and replay screens (no live session)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from massgen_tui.app.keys import key_hint
from massgen_tui.app.settings import default_settings_path, load_settings
from massgen_tui.app.themes import bundled_theme_dir, discover_themes, starting_theme, user_theme_dir
from massgen_tui.replay.session import ReplaySession


class ReplayApp(App[None]):
    """Replays ``session``, or, without one, browses the saved sessions in ``log_root``."""

    TITLE = "massgen-tui replay"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q,ctrl+c", "quit", "Quit", show=False, priority=True, id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(self, session: ReplaySession | None = None, *, log_root: Path | None = None,
                 settings_path: Path | None = None, theme_dirs: Iterable[Path] | None = None) -> None:
        super().__init__()
        self.session = session
        self.log_root = log_root
        settings, problems = load_settings(settings_path or default_settings_path())
        self.keymap = settings.keymap
        themes, theme_problems = discover_themes(
            *(theme_dirs if theme_dirs is not None else (bundled_theme_dir(), user_theme_dir()))
        )
        self._startup_problems = problems + theme_problems
        for theme in themes:
            self.register_theme(theme)
        start = starting_theme(settings.theme, self.available_themes)
        if start:
            self.theme = start

    async def on_mount(self) -> None:
        self.set_keymap(self.keymap)
        if self.session is not None:
            from massgen_tui.app.replay_screen import ReplayScreen

            await self.push_screen(ReplayScreen(self.session))
        else:
            from massgen_tui.app.session_browser import SessionBrowser
            from massgen_tui.session_setup import default_log_root

            await self.push_screen(SessionBrowser(self.log_root or default_log_root()))
        for problem in self._startup_problems:
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("App: keys", key_hint(self, "help"), self.action_help)
        yield SystemCommand("App: quit", key_hint(self, "quit"), self.action_quit)

    def action_help(self) -> None:
        """Show the keys of the current screen (the replay's, the session browser's)."""
        from massgen_tui.app.help_screen import HelpScreen

        self.push_screen(HelpScreen())
