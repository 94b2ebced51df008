"""Runs the session for the app: opens it on first use, asks turns, closes it at the end."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from massgen_tui import exit_codes
from massgen_tui.config.model import SessionConfig
from massgen_tui.events import Subscriber
from massgen_tui.events import types as ev

if TYPE_CHECKING:
    from massgen_tui.session_setup import PreparedSession
    from massgen_tui.workspace.manager import Approve


class SessionDriver:
    """Owns one session (and its log) for the app's lifetime.

    The engine is imported on first use, inside the worker, so the first frame never
    waits for it; :meth:`open` creates the backends off the event loop.
    """

    def __init__(
        self,
        config: SessionConfig,
        subscriber: Subscriber,
        *,
        log_root: Path | None = None,
        logging_enabled: bool = True,
        timeout_seconds: float | None = None,
        approve_writes: Approve | None = None,
    ) -> None:
        self._config = config
        self._subscriber = subscriber
        self._log_root = log_root
        self._logging_enabled = logging_enabled
        self._timeout_seconds = timeout_seconds
        self._approve_writes = approve_writes
        self._prepared: PreparedSession | None = None
        self._opening = asyncio.Lock()
        self._last_status: ev.TurnStatus | None = None
        self._last_answer = ""

    async def open(self) -> None:
        """Create the session and its backends (once; later calls wait for the first)."""
        async with self._opening:
            if self._prepared is None:
                from massgen_tui.session_setup import prepare_session

                prepared = prepare_session(
                    self._config, log_root=self._log_root, logging_enabled=self._logging_enabled,
                    timeout_seconds=self._timeout_seconds, approve_writes=self._approve_writes,
                )
                prepared.bus.subscribe(self._subscriber)
                await prepared.session.open()
                self._prepared = prepared

    @property
    def prepared(self) -> PreparedSession | None:
        """The open session with its bus and log (``None`` until :meth:`open` finished)."""
        return self._prepared

    async def ask(self, question: str) -> str:
        """Run one turn (opening the session first if needed); returns the turn's status."""
        await self.open()
        assert self._prepared is not None
        self._last_status, self._last_answer = ev.TURN_CANCELLED, ""  # until the turn comes back
        result = await self._prepared.session.ask(question)
        self._last_status, self._last_answer = result.status, result.final_answer
        return result.status

    @property
    def exit_code(self) -> int:
        """The process exit code the last turn calls for (README: 0, 3, 4 or 130); 0 before any turn."""
        if self._last_status is None:
            return exit_codes.OK
        return exit_codes.for_turn(self._last_status, self._last_answer)

    def clear_history(self) -> None:
        """Start the next question without the earlier turns."""
        if self._prepared is not None:
            self._prepared.session.clear_history()

    async def close(self) -> None:
        """Announce the end of the session and close its log (no-op if it never opened)."""
        if self._prepared is None:
            return
        prepared, self._prepared = self._prepared, None
        try:
            await prepared.session.close(self._last_status)
        finally:
            prepared.close_log()
