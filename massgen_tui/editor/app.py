"""Hosting the editor: ``massgen-tui config [PATH]`` as its own app, and pushing it onto any app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import App

from massgen_tui import paths
from massgen_tui.config import SessionConfig
from massgen_tui.editor.keys import KeyEnvironment
from massgen_tui.editor.screen import ConfigEditorScreen


def open_config_editor(
    app: App, path: Path | None = None, on_done: Callable[[SessionConfig | None], None] | None = None, *,
    keys: KeyEnvironment | None = None, template: bool = False,
) -> ConfigEditorScreen:
    """Push the editor onto ``app``; ``on_done`` gets the config chosen with Run, or ``None`` on close.

    ``template`` opens ``path`` as an untitled copy (for a bundled example, which is never overwritten).
    """
    screen = ConfigEditorScreen(path, keys=keys, template=template)
    app.push_screen(screen, on_done)
    return screen


class ConfigEditorApp(App[SessionConfig]):
    """Just the editor; exits with the config to run (``None`` when closed without Run).

    Key bindings follow the keymap of the app's ``settings.yaml`` (ids ``editor.*``).
    """

    TITLE = "massgen-tui config"

    def __init__(self, path: Path | None = None, *, keys: KeyEnvironment | None = None) -> None:
        super().__init__()
        self._path = path
        self._keys = keys

    def on_mount(self) -> None:
        from massgen_tui.app.settings import SETTINGS_FILE, load_settings

        config_dir = self._keys.config_dir if self._keys else paths.user_config_dir()
        settings, problems = load_settings(config_dir / SETTINGS_FILE)
        self.set_keymap(settings.keymap)
        for problem in problems:
            self.notify(problem, severity="warning", markup=False)
        open_config_editor(self, self._path, self.exit, keys=self._keys)

    async def action_quit(self) -> None:
        """Ctrl+Q: close the editor the same way Esc does (asking about unsaved changes)."""
        if isinstance(self.screen, ConfigEditorScreen):
            self.screen.action_close()
        else:
            self.screen.dismiss(None)
