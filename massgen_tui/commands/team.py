"""The team a command runs: from ``--config``, ``--model`` or ``--local`` (shared by the main job and ``eval``)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from massgen_tui.config.model import SessionConfig
    from massgen_tui.errors import ConfigIssue

PROG = "massgen-tui"

#: The bundled config ``--local`` runs.
LOCAL_DEMO_CONFIG = "local_demo.yaml"


def say(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr, flush=True)


def _ensure_embedded_model() -> None:
    """``--local``: fetch the embedded model first if it is not here yet (the config check then finds it)."""
    from massgen_tui.config import embedded_model
    from massgen_tui.config.local_engine import engine_installed

    if not engine_installed() or embedded_model.installed_path() is not None:
        return  # without the extra the config check gives its one message
    try:
        embedded_model.fetch(say)
    except embedded_model.FetchError as exc:
        say(f"error: {exc}")


class UsageError(Exception):
    """Flags that do not fit together."""


def load_team(args: argparse.Namespace) -> tuple[SessionConfig, list[ConfigIssue]] | None:
    """The session config from ``--config`` or ``--model`` and its warnings; ``None`` after printing
    config errors."""
    from massgen_tui.config import config_from_models, load_config
    from massgen_tui.errors import ConfigError

    if args.local:
        if args.config or args.model:
            raise UsageError("use --local alone, without --config or --model")
        from massgen_tui.bundled import bundled_dir

        args.config = bundled_dir("configs") / LOCAL_DEMO_CONFIG
        _ensure_embedded_model()
    if args.config and args.model:
        raise UsageError("use either --config or --model, not both")
    if not args.config and not args.model:
        raise UsageError("no agents: pass --config FILE, at least one --model NAME, or --local")
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
