"""``massgen-tui eval``: run a question set under each mode, then write the report (also ``eval merge``)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from massgen_tui import exit_codes
from massgen_tui.config.model import SessionConfig
from massgen_tui.eval.modes import MODE_KINDS, build_modes, parse_setting
from massgen_tui.eval.progress import ModeProgress, ProgressBars
from massgen_tui.eval.questions import QuestionSetError, bundled_sets, load_questions, resolve_set, shard
from massgen_tui.eval.results import RESULTS_FILE, ResultsWriter, merge

PROG = "massgen-tui eval"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``massgen-tui eval [run]``."""
    parser.description = ("Score each agent alone, a majority vote of their independent answers and the full protocol "
                    "on a question set. Results are appended to OUTPUT/results.jsonl as they finish (a rerun "
                    "resumes); the report goes to OUTPUT/report.md and the terminal.")
    parser.epilog = (f"bundled sets: {', '.join(bundled_sets())}. "
                     f"{PROG} merge OUTPUT SHARD_FILE... merges shard results into one report.")
    parser.add_argument("questions", help="a JSONL question file or the name of a bundled set")
    parser.add_argument("-c", "--config", type=Path, help="the team: a MassGen YAML or JSON config file")
    parser.add_argument("--local", action="store_true", help="the embedded-model team (configs/local_demo.yaml)")
    parser.add_argument("--modes", default=",".join(MODE_KINDS),
                        help="comma-separated: single, majority, protocol (default: all)")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="an orchestrator setting for the protocol runs (repeatable)")
    parser.add_argument("--remedies", action="store_true",
                        help="run the protocol under MassGen's defaults and under each remedy setting")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N questions (of this shard)")
    parser.add_argument("--concurrency", type=int, default=1, metavar="K", help="items run at once (default 1)")
    parser.add_argument("--provider-concurrency", type=int, metavar="K",
                        help="items using one provider (backend type + base URL) at once")
    parser.add_argument("--shard", metavar="I/N", help="run shard I of N (every N-th question from the I-th)")
    parser.add_argument("-o", "--output", type=Path, help="output folder (default: eval-<set name>)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="per-session orchestrator timeout")
    parser.add_argument("--no-display", action="store_true", help="no progress bars, only the report")
    parser.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                        help="run the items on a Ray cluster (the ray extra): alone, a local Ray instance; "
                             "'auto' or an address connects to a running cluster. --concurrency is per node")


def add_merge_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``massgen-tui eval merge``."""
    parser.description = "Merge shard results files into OUTPUT/results.jsonl and a report."
    parser.add_argument("output", type=Path)
    parser.add_argument("shards", type=Path, nargs="+")


LiveView = Callable[[str, ModeProgress, Callable[..., Awaitable[None]], Callable[[int | None], str]], None]
"""Shows a run on screen: ``(title, progress, job, report)``; it awaits ``job(on_start=, on_result=)``."""


def live_view_in_app(*args: Any) -> None:
    """``massgen-tui eval``'s live view in the app (Textual is imported only when it is shown)."""
    from massgen_tui.app.eval_view import run_eval_view

    run_eval_view(*args)


def run(args: argparse.Namespace, live_view: LiveView | None = live_view_in_app) -> int:
    """``massgen-tui eval``; returns the exit code. ``live_view`` shows the run on a terminal unless
    ``--no-display``."""
    from massgen_tui.eval.ray_cluster import Cluster, RayUnavailable
    from massgen_tui.eval.run import done_records, run_eval, write_report  # the runner pulls in the SDKs

    try:
        questions = load_questions(resolve_set(args.questions))
        shard_index, shard_count = _shard(args.shard)
        settings = dict(parse_setting(s) for s in args.settings)
    except (QuestionSetError, ValueError) as exc:
        return exit_codes.usage_error(PROG, str(exc))
    if args.concurrency < 1 or (args.provider_concurrency is not None and args.provider_concurrency < 1):
        return exit_codes.usage_error(PROG, "concurrency must be at least 1")
    config = _config(args)
    if config is None:
        return exit_codes.CONFIG_ERROR
    try:
        modes = build_modes([m.strip() for m in args.modes.split(",") if m.strip()], config,
                            settings=settings, remedies=args.remedies)
    except ValueError as exc:
        return exit_codes.usage_error(PROG, str(exc))
    questions = shard(questions, shard_index, shard_count)[: args.limit]
    output = args.output or Path(f"eval-{Path(args.questions).stem}")
    results = output / (RESULTS_FILE if shard_count == 1 else f"results-shard-{shard_index}-of-{shard_count}.jsonl")
    title = f"eval: {args.questions}"
    try:
        cluster = None if args.ray is None else Cluster(args.ray or None)
    except RayUnavailable as exc:
        return exit_codes.usage_error(PROG, str(exc))
    job = functools.partial(run_eval, config, questions, modes, output, results, concurrency=args.concurrency,
                            provider_concurrency=args.provider_concurrency, timeout_seconds=args.timeout,
                            cluster=cluster)
    progress = ModeProgress({m.name: len(questions) for m in modes}, done_records(results, questions, modes))

    def report(width: int | None = None) -> str:
        return write_report(output, done_records(results, questions, modes), [m.name for m in modes],
                            title=title, width=width)

    try:
        if live_view is not None and not args.no_display and sys.stdout.isatty() and sys.stdin.isatty():
            live_view(title, progress, job, report)
        else:
            bars = None if args.no_display else ProgressBars(sys.stderr, progress)
            if bars:
                bars.draw()
            asyncio.run(job(on_result=bars.result if bars else None))
    finally:
        if cluster is not None:
            cluster.close()
    print(report(shutil.get_terminal_size().columns if sys.stdout.isatty() else None))
    return exit_codes.OK


def run_merge(args: argparse.Namespace) -> int:
    """``massgen-tui eval merge``: one results file and report from shard results."""
    from massgen_tui.eval.run import write_report

    missing = [str(p) for p in args.shards if not p.is_file()]
    if missing:
        return exit_codes.usage_error(f"{PROG} merge", f"no such file: {', '.join(missing)}")
    records = merge(args.shards)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / RESULTS_FILE).unlink(missing_ok=True)
    writer = ResultsWriter(args.output / RESULTS_FILE)
    for record in records:
        writer.write(record)
    writer.close()
    modes = list(dict.fromkeys(r["mode"] for r in sorted(records, key=lambda r: r.get("mode_rank", 0))))
    print(write_report(args.output, records, modes, title="eval: merged shards",
                       width=shutil.get_terminal_size().columns if sys.stdout.isatty() else None))
    return exit_codes.OK


def _shard(text: str | None) -> tuple[int, int]:
    if text is None:
        return 1, 1
    index, _, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        raise ValueError(f"--shard {text!r}: expected I/N, e.g. 1/4") from None
    if not 1 <= i <= n:
        raise ValueError(f"--shard {text!r}: I must be between 1 and N")
    return i, n


def _config(args: argparse.Namespace) -> SessionConfig | None:
    """The team from ``--config`` or ``--local`` (the main command's loader); ``None`` after printing errors."""
    from massgen_tui.commands.team import UsageError, load_team

    args.model = []
    try:
        loaded = load_team(args)
    except UsageError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return None
    if loaded is None:
        return None
    config, warnings = loaded
    for warning in warnings:  # no app to show them in
        print(warning, file=sys.stderr)
    return config
