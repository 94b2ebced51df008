"""The Textual app: the live screen, the session worker, app-wide keys, palette, themes and settings."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from massgen_tui import exit_codes
from massgen_tui.app.driver import SessionDriver
from massgen_tui.app.event_feed import EventFeed
from massgen_tui.app.live_screen import LiveScreen
from massgen_tui.app.settings import default_settings_path, load_settings, save_settings
from massgen_tui.app.themes import (
    bundled_theme_dir,
    discover_themes,
    starting_theme,
    user_theme_dir,
)
from massgen_tui.config.model import SessionConfig
from massgen_tui.errors import ConfigIssue
from massgen_tui.events import types as ev


class MassGenApp(App[None]):
    """Full-screen multi-agent session: asks ``question`` at start, or waits for one in the input bar.

    ``config_warnings`` (found when the config was loaded) are announced on start and listed from the palette.
    """

    TITLE = "massgen-tui"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "interrupt", "Cancel / quit", show=False, priority=True, id="interrupt"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        config: SessionConfig,
        question: str | None = None,
        *,
        log_root: Path | None = None,
        logging_enabled: bool = True,
        timeout_seconds: float | None = None,
        settings_path: Path | None = None,
        theme_dirs: Iterable[Path] | None = None,
        config_warnings: Sequence[ConfigIssue] = (),
    ) -> None:
        super().__init__()
        self.config = config
        self.config_warnings = list(config_warnings)
        self.feed = EventFeed()
        self._log_root = log_root
        self._logging_enabled = logging_enabled
        self._timeout_seconds = timeout_seconds
        self.driver = self._new_driver(config)
        self.settings_path = settings_path or default_settings_path()
        self.settings, problems = load_settings(self.settings_path)
        self.keymap = self.settings.keymap
        themes, theme_problems = discover_themes(
            *(theme_dirs if theme_dirs is not None else (bundled_theme_dir(), user_theme_dir()))
        )
        self._startup_problems = problems + theme_problems
        for theme in themes:
            self.register_theme(theme)
        start = starting_theme(self.settings.theme, self.available_themes)
        if start:
            self.theme = start
        if self.settings.theme not in (None, start) and not theme_problems:  # else a broken file was reported
            self._startup_problems.append(f"unknown theme {self.settings.theme!r} in {self.settings_path}")
        self._first_question = question
        self._turn: Worker[str] | None = None
        self._interrupted = False
        self._theme_before: str | None = None

    async def on_mount(self) -> None:
        self._catch_signals()
        self.set_keymap(self.keymap)
        await self.push_screen(LiveScreen(self.feed, clock=time.time))
        for problem in self._startup_problems:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        if self.config_warnings:
            from massgen_tui.app.config_warnings import warnings_notice

            self.notify(warnings_notice(len(self.config_warnings)), severity="warning", timeout=10, markup=False)
        self.run_worker(self.driver.open(), group="open", exit_on_error=False)  # panels appear while one types
        if self._first_question:
            self.ask(self._first_question)
        else:
            self.live.action_ask()

    def _new_driver(self, config: SessionConfig) -> SessionDriver:
        return SessionDriver(config, self.feed, approve_writes=self._approve_writes, log_root=self._log_root,
                             logging_enabled=self._logging_enabled, timeout_seconds=self._timeout_seconds)

    @property
    def live(self) -> LiveScreen:
        """The live screen (under any dialog shown on top of it)."""
        return next(s for s in self.screen_stack if isinstance(s, LiveScreen))

    @property
    def running(self) -> bool:
        """Whether a turn is in progress."""
        return self._turn is not None and self._turn.state in (WorkerState.PENDING, WorkerState.RUNNING)

    # ----------------------------------------------------------------- turns

    def ask(self, question: str) -> None:
        """Start a turn for ``question``; while one runs, queue it (in place of any queued before)."""
        if self.running:
            replaced = self.live.queued.hold(question)
            if replaced is not None:
                self.notify(f"replaces the queued {replaced!r}", timeout=4, markup=False)
            return
        self._interrupted = False
        self._turn = self._run_turn(question)
        self.live.leave_question_bar()

    @work(group="session", exclusive=True, exit_on_error=False)
    async def _run_turn(self, question: str) -> str:
        return await self.driver.ask(question)

    @on(Worker.StateChanged)
    def _turn_done(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._turn or not self.is_running:
            return  # (a turn cancelled because the app is closing: its screens are already gone)
        if event.state == WorkerState.ERROR:
            self.notify(f"the session stopped: {event.worker.error}", severity="error", timeout=10, markup=False)
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        queued = self.live.queued.take()
        if queued is not None and event.state == WorkerState.SUCCESS and event.worker.result != ev.TURN_CANCELLED:
            self.ask(queued)
            return
        if queued is not None:  # a cancelled or failed turn sends nothing more: the question waits in the bar
            restored = self.live.restore_question(queued)
            self.notify("the queued question is back in the question bar (i, then Enter, sends it)" if restored
                        else f"not sent (the question bar holds a draft): {queued}", timeout=6, markup=False)
        self.live.leave_question_bar()

    @on(LiveScreen.Question)
    def _question(self, message: LiveScreen.Question) -> None:
        text = message.text
        if text == "/quit":
            self.action_quit()
        elif text == "/clear":
            self.action_clear()
        elif text.startswith("/"):
            self.notify(f"unknown command {text.split()[0]!r} (try /clear or /quit)", severity="warning",
                        markup=False)
        else:
            self.ask(text)

    def action_clear(self) -> None:
        """Forget the conversation: the next question starts fresh."""
        self.driver.clear_history()
        self.notify("conversation cleared: the next question starts fresh")

    def action_interrupt(self) -> None:
        """Ctrl+C: cancel the running turn (with text selected too; ``c`` copies); pressed again, quit."""
        if self.running and not self._interrupted:
            self._interrupted = True
            assert self._turn is not None
            self._turn.cancel()
            self.notify("cancelled; the log is kept. Press Ctrl+C again to quit.", severity="warning")
            return
        self.action_quit()

    def action_quit(self) -> None:  # type: ignore[override]  # App's is async; a worker does the waiting here
        """Quit: ask about unsaved changes in an open config editor, then close the session and exit."""
        self.run_worker(self._quit(), group="quit", exclusive=True)

    def _catch_signals(self) -> None:
        """SIGTERM and SIGHUP end the app as Ctrl+C twice does: the log completed, the terminal restored, 130."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # Windows, not the main thread
                loop.add_signal_handler(sig, self._signalled)

    def _signalled(self) -> None:
        self.run_worker(self._quit(signalled=True), group="quit", exclusive=True)

    async def _quit(self, signalled: bool = False) -> None:
        for screen in reversed(self.screen_stack):  # a screen with unsaved work (the config editor) may say no
            may_leave = getattr(screen, "may_leave", None)
            if not signalled and may_leave is not None and not await may_leave("quitting", "Quit without saving"):
                return
        if self.running:
            assert self._turn is not None
            self._turn.cancel()
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await self._turn.wait()
        await self.driver.close()
        self.exit(return_code=exit_codes.INTERRUPTED if signalled else self.driver.exit_code)

    # ------------------------------------------------------- palette and more

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from massgen_tui.app.palette import palette_commands

        replay_commands = getattr(screen, "palette_commands", None)  # a replay opened from here
        return replay_commands() if replay_commands is not None else palette_commands(self)

    async def _approve_writes(self, files: list[str], diff: str) -> bool:
        """Before the final answer writes to the user's folders: show what changes and ask."""
        from massgen_tui.app.context_writes_screen import ask_before_writing

        return await ask_before_writing(self, files, diff)

    def action_help(self) -> None:
        """Show the keys of the current screen (a replay's, over a replay; the editor's, in the editor)."""
        from massgen_tui.app.help_screen import HelpScreen

        self.push_screen(HelpScreen())

    def action_open_saved(self) -> None:
        """Browse the saved sessions; Enter replays one over this screen."""
        from massgen_tui.app.session_browser import SessionBrowser
        from massgen_tui.session_setup import default_log_root

        self.push_screen(SessionBrowser(self._log_root or default_log_root()))

    def action_export(self) -> None:
        """Write the session as Markdown next to its log (or in the current folder without a log)."""
        from massgen_tui.app.export import session_markdown

        view = self.live.view
        folder = Path(view.log_dir) if view.log_dir else Path.cwd()
        path = folder / (f"session-{view.session_id}.md" if not view.log_dir else "session.md")
        try:
            path.write_text(session_markdown(view), encoding="utf-8")
        except OSError as exc:
            self.notify(f"could not export: {exc}", severity="error", markup=False)
            return
        self.notify(f"exported to {path}", markup=False)

    def action_config_warnings(self) -> None:
        """List the running config's warnings, each at its file, line and column."""
        from massgen_tui.app.config_warnings import ConfigWarningsScreen

        self.push_screen(ConfigWarningsScreen(self.config.display_name, self.config_warnings))

    def action_edit_config(self) -> None:
        """Open the config editor on the running config's file (a bundled example as an untitled copy; the
        chooser for a quick setup); Run there starts a new session with the edited team."""
        from massgen_tui.editor.app import open_config_editor
        from massgen_tui.editor.files import bundled_configs_dir

        source = self.config.source
        bundled = source is not None and source.resolve().parent == bundled_configs_dir().resolve()
        open_config_editor(self, source, on_done=self._edited, template=bundled)

    def _edited(self, config: SessionConfig | None) -> None:
        if config is not None:
            self.run_worker(self.switch_config(config), group="switch", exit_on_error=False)

    async def switch_config(self, config: SessionConfig) -> None:
        """Close the current session (its log is kept) and show a fresh screen for ``config``."""
        if self.running:
            self.notify("a question is still being answered (Ctrl+C cancels it)", severity="warning")
            return
        await self.driver.close()
        self.feed.drain()
        self.config, self.config_warnings = config, []  # the editor has shown this config's warnings
        self.driver = self._new_driver(config)
        await self.switch_screen(LiveScreen(self.feed, clock=time.time))
        self.live.action_ask()
        await self.driver.open()

    def action_pick_theme(self) -> None:
        """Choose a theme from a list that previews each one as it is highlighted."""
        self._theme_before = self.theme
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="Theme (previewed as you move)…"))

    @on(CommandPalette.OptionHighlighted)
    def _preview_theme(self, event: CommandPalette.OptionHighlighted) -> None:
        hit = getattr(event.highlighted_event.option, "hit", None)
        if self._theme_before is not None and hit is not None and hit.text in self.available_themes:
            self.theme = hit.text

    @on(CommandPalette.Closed)
    def _theme_chosen(self, event: CommandPalette.Closed) -> None:
        if self._theme_before is None:
            return
        if event.option_selected:
            self.settings.theme = self.theme
            self._save_settings()
        else:
            self.theme = self._theme_before
        self._theme_before = None

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings_path, self.settings)
        except OSError as exc:
            self.notify(f"could not save settings: {exc}", severity="warning", markup=False)
