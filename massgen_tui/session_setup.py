"""Wiring shared by every front end: bus, redactor, session log and session for one config."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from massgen_tui.config.model import SessionConfig
from massgen_tui.coordination.session import Session, new_session_id
from massgen_tui.events import EventBus
from massgen_tui.logs.redact import Redactor, StreamRedactor, secrets_of
from massgen_tui.logs.writer import SessionLogWriter
from massgen_tui.workspace.manager import Approve


def default_log_root() -> Path:
    """Where session folders go unless ``--log-dir`` says otherwise."""
    from massgen_tui.paths import user_log_dir

    return Path(user_log_dir()) / "sessions"


@dataclass(slots=True)
class PreparedSession:
    """A session with its bus, and the log writer subscribed to it (``None`` with logging off)."""

    bus: EventBus
    session: Session
    log: SessionLogWriter | None

    def close_log(self) -> None:
        """Close the session log, if any."""
        if self.log is not None:
            self.log.close()


def prepare_session(
    config: SessionConfig,
    *,
    log_root: Path | None = None,
    logging_enabled: bool = True,
    timeout_seconds: float | None = None,
    allow_writes: bool = False,
    approve_writes: Approve | None = None,
) -> PreparedSession:
    """Build the bus and session; subscribe the session log first, so it sees every event."""
    redactor = Redactor(secrets_of(config))
    bus = EventBus(transform=StreamRedactor(redactor))  # every subscriber sees redacted events
    session_id = new_session_id()
    log = None
    if logging_enabled and config.ui.logging_enabled:
        log = SessionLogWriter((log_root or default_log_root()) / session_id, report=bus.publish)
        bus.subscribe(log)
    session = Session(
        config, bus, redactor=redactor, session_id=session_id,
        log_dir=str(log.directory) if log else None, timeout_seconds=timeout_seconds,
        allow_writes=allow_writes, approve_writes=approve_writes,
    )
    return PreparedSession(bus=bus, session=session, log=log)
