"""Hosting the editor: ``massgen-tui config [PATH]`` as its own app, and pushing it onto any app."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from textual.app import App

from massgen_tui.config import SessionConfig
from massgen_tui.editor.keys import KeyEnvironment
from massgen_tui.editor.screen import ConfigEditorScreen


def open_config_editor(
    app: App[Any], path: Path | None = None, on_done: Callable[[SessionConfig | None], None] | None = None, *,
    keys: KeyEnvironment | None = None, template: bool = False,
) -> ConfigEditorScreen:
    """Push the editor onto ``app`` (whatever it returns); ``on_done`` gets the config chosen with Run, or ``None``.

    ``template`` opens ``path`` as an untitled copy (for a bundled example, which is never overwritten).
    """
    screen = ConfigEditorScreen(path, keys=keys, template=template)
    app.push_screen(screen, on_done)
    return screen


class ConfigEditorApp(App[SessionConfig]):
    """Just the editor; exits with the config to run (``None`` when closed without Run).

    ``keymap`` (binding id -> keys, ids ``editor.*``) and ``notices`` (shown as warnings when it starts)
    come from the caller, which reads them from the app's ``settings.yaml``: the editor does not read the
    app's settings itself. Without a keymap the default bindings apply.
    """

    TITLE = "massgen-tui config"

    def __init__(self, path: Path | None = None, *, keys: KeyEnvironment | None = None,
                 keymap: Mapping[str, str] | None = None, notices: Sequence[str] = ()) -> None:
        super().__init__()
        self._path = path
        self._keys = keys
        self._editor_keymap = dict(keymap) if keymap is not None else None
        self._notices = tuple(notices)

    def on_mount(self) -> None:
        if self._editor_keymap is not None:
            self.set_keymap(self._editor_keymap)
        for notice in self._notices:
            self.notify(notice, severity="warning", markup=False)
        open_config_editor(self, self._path, self.exit, keys=self._keys)

    async def action_quit(self) -> None:
        """Ctrl+Q: close the editor the same way Esc does (asking about unsaved changes)."""
        if isinstance(self.screen, ConfigEditorScreen):
            self.screen.action_close()
        else:
            self.screen.dismiss(None)
