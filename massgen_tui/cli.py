"""The ``massgen-tui`` command line.

Imports stay inside functions: ``--help`` and start-up must not pay for SDKs or Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from massgen_tui import __version__, exit_codes

PROG = "massgen-tui"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the main command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run a MassGen-style team of LLM agents on a question: they answer in parallel, "
                    "vote, and the winner presents the final answer.",
        epilog="massgen-tui config [PATH] opens the config editor; massgen-tui replay [PATH] replays a saved "
               "session (without PATH: browse them); massgen-tui eval QUESTIONS scores single agents, majority vote "
               "and the protocol on a question set; massgen-tui fetch-model downloads the embedded model. "
               "exit codes: 0 success, 2 configuration error, 3 all agents failed, "
               "4 timeout with no answer, 130 interrupted",
    )
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
    parser.add_argument("--version", action="version", version=f"massgen-tui {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``massgen-tui`` and ``python -m massgen_tui``; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["config"]:
        from massgen_tui.editor.command import run_config_command

        return run_config_command(argv[1:])
    if argv[:1] == ["replay"]:
        from massgen_tui.replay.command import run_replay_command

        return run_replay_command(argv[1:])
    if argv[:1] == ["eval"]:
        from massgen_tui.eval.command import run_eval_command

        return run_eval_command(argv[1:], live_view=_eval_view)
    if argv[:1] == ["fetch-model"]:
        return _fetch_model(argv[1:])
    args = build_parser().parse_args(argv)
    if args.timeout is not None and not 0 < args.timeout < float("inf"):  # also refuses nan
        return exit_codes.usage_error(PROG, f"--timeout must be a positive, finite number of seconds, not {args.timeout}")
    try:
        loaded = _load(args)
    except _UsageError as exc:
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
    ))


#: The bundled config ``--local`` runs.
LOCAL_DEMO_CONFIG = "local_demo.yaml"


def _say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _ensure_embedded_model() -> None:
    """``--local``: fetch the embedded model first if it is not here yet (the config check then finds it)."""
    from massgen_tui.backends import embedded_model
    from massgen_tui.backends.local_model import engine_installed

    if not engine_installed() or embedded_model.installed_path() is not None:
        return  # without the extra the config check gives its one message
    try:
        embedded_model.fetch(_say)
    except embedded_model.FetchError as exc:
        _say(f"error: {exc}")


def _fetch_model(argv: list[str]) -> int:
    """``massgen-tui fetch-model``: put the embedded model on this machine (once) and print its path."""
    parser = argparse.ArgumentParser(
        prog=f"{PROG} fetch-model",
        description="Download the embedded SmolLM2-135M-Instruct model (98 MB, once) that --local and llamacpp "
                    "agents without model_path run; prints the model file's path.",
    )
    parser.parse_args(argv)
    from massgen_tui.backends import embedded_model

    try:
        path = embedded_model.fetch(_say)
    except embedded_model.FetchError as exc:
        _say(f"error: {exc}")
        return exit_codes.CONFIG_ERROR
    print(path)
    return exit_codes.OK


def _eval_view(*args) -> None:
    """``massgen-tui eval``'s live view in the app (Textual is imported only when it is shown)."""
    from massgen_tui.app.eval_view import run_eval_view

    run_eval_view(*args)


class _UsageError(Exception):
    """Flags that do not fit together."""


def _load(args: argparse.Namespace):
    """The session config from ``--config`` or ``--model`` and its warnings; ``None`` after printing
    config errors."""
    from massgen_tui.config import config_from_models, load_config
    from massgen_tui.errors import ConfigError

    if args.local:
        if args.config or args.model:
            raise _UsageError("use --local alone, without --config or --model")
        from massgen_tui.bundled import bundled_dir

        args.config = bundled_dir("configs") / LOCAL_DEMO_CONFIG
        _ensure_embedded_model()
    if args.config and args.model:
        raise _UsageError("use either --config or --model, not both")
    if not args.config and not args.model:
        raise _UsageError("no agents: pass --config FILE, at least one --model NAME, or --local")
    try:
        if args.config:
            loaded = load_config(args.config)
            return loaded.config, loaded.warnings
        return config_from_models(
            args.model, backend=args.backend, base_url=args.base_url, system_message=args.system_message
        ), []
    except ConfigError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return None

