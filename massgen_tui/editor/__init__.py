"""The in-app config editor: a form and the YAML (or JSON) text of one MassGen config, in step.

``massgen-tui config [PATH]`` runs :class:`ConfigEditorApp`; any app can push
:class:`ConfigEditorScreen` (or call :func:`open_config_editor`), which dismisses with the
validated :class:`~massgen_tui.config.SessionConfig` when the user chooses Run.
"""

from massgen_tui.editor.app import ConfigEditorApp, open_config_editor
from massgen_tui.editor.keys import KeyEnvironment
from massgen_tui.editor.screen import ConfigEditorScreen

__all__ = ["ConfigEditorApp", "ConfigEditorScreen", "KeyEnvironment", "open_config_editor"]
