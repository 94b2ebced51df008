"""The ``massgen-tui`` command line: one argparse parser, a subparser per command.

``massgen-tui QUESTION`` is short for ``massgen-tui run QUESTION`` (and ``eval SET`` for ``eval run SET``).
Each command's module is imported only when it runs: ``--help`` and start-up pay for no SDK or Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

PROG = "massgen-tui"

#: Each command's help line; ``run`` is the default command.
COMMANDS: dict[str, str] = {
    "run": "run a team on a question (the default: massgen-tui QUESTION)",
    "config": "create or edit a config in the editor",
    "replay": "replay a saved session, or browse them",
    "eval": "score single agents, majority vote and the protocol on a question set",
    "fetch-model": "download the embedded model once",
}


def build_parser() -> argparse.ArgumentParser:
    """The whole command line's parser."""
    from massgen_tui.commands import config, evaluate, fetch_model, replay, run

    parser = argparse.ArgumentParser(prog=PROG, description="A terminal home for multi-agent LLM work.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = {"run": run, "config": config, "replay": replay, "eval": evaluate, "fetch-model": fetch_model}
    for name, help_line in COMMANDS.items():
        # The main job's usage reads "massgen-tui [options] question": it is what a bare massgen-tui runs.
        sub = commands.add_parser(name, help=help_line, prog=PROG if name == "run" else f"{PROG} {name}")
        if name == "eval":
            evals = sub.add_subparsers(dest="eval_command", metavar="EVAL_COMMAND", required=True)
            eval_run = evals.add_parser("run", prog=f"{PROG} eval")
            evaluate.add_arguments(eval_run)
            eval_run.set_defaults(handler=evaluate.run)
            merge = evals.add_parser("merge", prog=f"{PROG} eval merge")
            evaluate.add_merge_arguments(merge)
            merge.set_defaults(handler=evaluate.run_merge)
        else:
            modules[name].add_arguments(sub)
            sub.set_defaults(handler=modules[name].run)
    return parser


def _with_defaults(argv: list[str]) -> list[str]:
    """``argv`` with the default command names put in where the user left them out."""
    if not argv or argv[0] not in COMMANDS:
        argv = ["run", *argv]
    if argv[0] == "eval" and argv[1:2] != ["merge"] and argv[1:2] != ["run"]:
        argv = ["eval", "run", *argv[1:]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``massgen-tui`` and ``python -m massgen_tui``; returns the exit code."""
    args = build_parser().parse_args(_with_defaults(list(sys.argv[1:] if argv is None else argv)))
    code: int = args.handler(args)
    return code
