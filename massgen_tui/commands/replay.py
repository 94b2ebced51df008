"""``massgen-tui replay [PATH]``: replay a saved session, or browse the saved sessions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from massgen_tui import exit_codes

PROG = "massgen-tui replay"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``massgen-tui replay``."""
    parser.description = ("Replay a saved session in the live screen, with a timeline: play, pause, step, "
                          "jump between answers, votes and rounds. Without PATH, browse the saved sessions.")
    parser.add_argument("path", nargs="?", type=Path,
                        help="a session folder or its events.jsonl, a MassGen log_* folder, a turn_N/attempt_N "
                             "folder or its events.jsonl")
    parser.add_argument("--log-dir", type=Path, help="the folder of saved sessions to browse "
                                                     "(default: the user log directory)")


def run(args: argparse.Namespace) -> int:
    """Open the replay (or the browser); returns the exit code."""
    session = None
    if args.path is not None:
        from massgen_tui.replay.session import NotASession, open_session

        try:
            session = open_session(args.path)
        except NotASession as exc:
            return exit_codes.usage_error(PROG, str(exc))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return exit_codes.usage_error(PROG, "replay needs a terminal")
    from massgen_tui.app.replay_app import ReplayApp

    ReplayApp(session, log_root=args.log_dir).run()
    return exit_codes.OK

