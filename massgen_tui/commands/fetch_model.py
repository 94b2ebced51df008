"""``massgen-tui fetch-model``: download the embedded model once."""

from __future__ import annotations

import argparse

from massgen_tui import exit_codes
from massgen_tui.commands.team import say


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``massgen-tui fetch-model`` takes no arguments."""
    parser.description = ("Download the embedded SmolLM2-135M-Instruct model (98 MB, once) that --local and llamacpp "
                          "agents without model_path run; prints the model file's path.")


def run(args: argparse.Namespace) -> int:
    """Put the embedded model on this machine (once) and print its path."""
    from massgen_tui.config import embedded_model

    try:
        path = embedded_model.fetch(say)
    except embedded_model.FetchError as exc:
        say(f"error: {exc}")
        return exit_codes.CONFIG_ERROR
    print(path)
    return exit_codes.OK
