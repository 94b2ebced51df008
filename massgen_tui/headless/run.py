"""``massgen-tui --no-display``: one question, progress on stderr, the final answer on stdout."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import TextIO

from massgen_tui import exit_codes
from massgen_tui.config.model import SessionConfig
from massgen_tui.events.types import TURN_CANCELLED
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
    allow_writes: bool = False,
) -> int:
    """Run one turn and return the process exit code. Ctrl+C (or SIGTERM, SIGHUP) cancels cleanly and
    keeps the log; a second one while the session closes is ignored. ``allow_writes``: the final
    presentation may write to context paths with ``permission: write`` (else those writes are refused and named)."""
    prepared = prepare_session(
        config, log_root=log_root, logging_enabled=logging_enabled, timeout_seconds=timeout_seconds,
        allow_writes=allow_writes,
    )
    prepared.bus.subscribe(ProgressPrinter(stderr or sys.stderr, stdout or sys.stdout))
    session = prepared.session
    task = asyncio.current_task()
    signals = _Signals(task)
    result = None
    try:
        await session.open()
        result = await session.ask(question)
    except asyncio.CancelledError:
        if task is not None and hasattr(task, "uncancel"):
            task.uncancel()  # we handle the interruption: the closing steps below still run
    finally:
        signals.ignore()  # a second Ctrl+C must not cut the closing steps short
    await session.close(TURN_CANCELLED if result is None else None)
    prepared.close_log()
    signals.remove()
    if result is None:
        return exit_codes.INTERRUPTED
    return exit_codes.for_turn(result.status, result.final_answer)


class _Signals:
    """The first SIGINT, SIGTERM or SIGHUP cancels ``task``; later ones, and any after :meth:`ignore`, do
    nothing until :meth:`remove`."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, task: asyncio.Task[object] | None) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = task
        self._installed: list[int] = []
        for sig in self._SIGNALS:
            try:
                self._loop.add_signal_handler(sig, self._cancel)
                self._installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                pass

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.ignore()

    def ignore(self) -> None:
        """From now on a signal is ignored (the session is closing and completing its log)."""
        for sig in self._installed:
            self._loop.add_signal_handler(sig, lambda: None)

    def remove(self) -> None:
        """Give the signals their usual meaning back."""
        for sig in self._installed:
            self._loop.remove_signal_handler(sig)
