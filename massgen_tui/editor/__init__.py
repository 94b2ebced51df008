"""The in-app config editor: a form and the YAML (or JSON) text of one MassGen config, in step.

``massgen-tui config [PATH]`` runs :class:`ConfigEditorApp`; any app can push
:class:`ConfigEditorScreen` (or call :func:`open_config_editor`), which dismisses with the
validated :class:`~massgen_tui.config.SessionConfig` when the user chooses Run.

The names load on first use, so ``massgen-tui config --help`` does not import Textual.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from massgen_tui.editor.app import ConfigEditorApp, open_config_editor
    from massgen_tui.editor.keys import KeyEnvironment
    from massgen_tui.editor.screen import ConfigEditorScreen

_HOMES = {
    "ConfigEditorApp": "massgen_tui.editor.app",
    "open_config_editor": "massgen_tui.editor.app",
    "ConfigEditorScreen": "massgen_tui.editor.screen",
    "KeyEnvironment": "massgen_tui.editor.keys",
}

__all__ = ["ConfigEditorApp", "ConfigEditorScreen", "KeyEnvironment", "open_config_editor"]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
