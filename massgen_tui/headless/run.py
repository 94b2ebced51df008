"""``massgen-tui --no-display``: one question, progress on stderr, the final answer on stdout."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import TextIO

from massgen_tui import exit_codes
from massgen_tui.config.model import SessionConfig
from massgen_tui.headless.printer import ProgressPrinter
from massgen_tui.session_setup import prepare_session


async def run_headless(
    config: SessionConfig,
    question: str,
    *,
    log_root: Path | None = None,
    logging_enabled: bool = True,
    timeout_seconds: float | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one turn and return the process exit code. Ctrl+C cancels cleanly and keeps the log."""
    prepared = prepare_session(
        config, log_root=log_root, logging_enabled=logging_enabled, timeout_seconds=timeout_seconds
    )
    prepared.bus.subscribe(ProgressPrinter(stderr or sys.stderr, stdout or sys.stdout))
    session = prepared.session
    task = asyncio.current_task()
    restore = _cancel_on_signals(task)
    result = None
    try:
        await session.open()
        result = await session.ask(question)
    except asyncio.CancelledError:
        if task is not None and hasattr(task, "uncancel"):
            task.uncancel()  # we handle the interruption: the closing steps below still run
    finally:
        restore()
    await session.close("cancelled" if result is None else None)
    prepared.close_log()
    if result is None:
        return exit_codes.INTERRUPTED
    return exit_codes.for_turn(result.status, result.final_answer)


def _cancel_on_signals(task: asyncio.Task | None):
    """Turn SIGINT/SIGTERM into cancelling ``task``; returns a function that undoes it."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, task.cancel)  # type: ignore[union-attr]
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
            pass
    return lambda: [loop.remove_signal_handler(sig) for sig in installed]
