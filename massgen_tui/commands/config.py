"""``massgen-tui config [PATH]``: edit a config full-screen; Run starts the live app with it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from massgen_tui import exit_codes

PROG = "massgen-tui config"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``massgen-tui config``."""
    parser.description = ("Create or edit a MassGen config in a form and a YAML editor, checked as you type. "
                          "Run (Ctrl+R) starts a live session with it.")
    parser.add_argument("path", nargs="?", type=Path,
                        help="the config file (created when saved if it does not exist); without it, choose "
                             "a new team, a bundled example or one of your configs")


def run(args: argparse.Namespace) -> int:
    """Run the editor; after Run, the live app. Returns the exit code."""
    path: Path | None = args.path
    if path is not None and path.is_dir():
        return exit_codes.usage_error(PROG, f"{path} is a folder, not a config file")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return exit_codes.usage_error(PROG, "the config editor needs a terminal")
    from massgen_tui.app.settings import default_settings_path, load_settings
    from massgen_tui.editor.app import ConfigEditorApp

    settings, problems = load_settings(default_settings_path())  # the editor follows the app's keymap
    config = ConfigEditorApp(path, keymap=settings.keymap, notices=problems).run()
    if config is None:
        return exit_codes.OK
    from massgen_tui.app.gc_tuning import tune_gc_for_streaming
    from massgen_tui.app.main import MassGenApp

    tune_gc_for_streaming()
    app = MassGenApp(config)
    app.run()
    return app.return_code or exit_codes.OK

