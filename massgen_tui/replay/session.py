"""A recorded session opened for replay: its source, index, checkpoints and the whole session's view.

:meth:`ReplaySession.build` makes one pass over the events (in a thread for big logs): it fills
the index, applies every event to ``whole`` (the state at the end, whose transcripts hold every
line the panels will ever show) and takes a checkpoint every :data:`CHECKPOINT_EVENTS` events or
:data:`CHECKPOINT_BYTES` of log, whichever comes first. No event object is kept.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from pathlib import Path

from massgen_tui.events import Event
from massgen_tui.replay.checkpoints import Checkpoint, capture
from massgen_tui.replay.index import EventIndex
from massgen_tui.replay.massgen_log import EVENTS, is_massgen_log, read_massgen_log
from massgen_tui.replay.sources import EventSource, JsonlEvents, ListEvents, log_format
from massgen_tui.text_safety import terminal_safe
from massgen_tui.view.session_view import SessionView

CHECKPOINT_EVENTS = 250
CHECKPOINT_BYTES = 1 << 20


class NotASession(ValueError):
    """The path holds no session this program can replay."""


class ReplaySession:
    """Everything replay needs to show any position of one recorded session."""

    def __init__(self, path: Path, source: EventSource, *, massgen: bool = False) -> None:
        self.path = path
        self.source = source
        self.massgen = massgen
        self.index = EventIndex()
        self.whole = SessionView()
        self.checkpoints: list[Checkpoint] = [capture(self.whole, 0)]
        self._checkpoint_positions = [0]
        self.extra_warnings: list[str] = []

    def __len__(self) -> int:
        """Events indexed so far (all of them once :attr:`complete`)."""
        return len(self.index)

    @property
    def complete(self) -> bool:
        return self.index.complete

    def build(self, stop: threading.Event | None = None) -> None:
        """Index every event, build the whole session's view and the checkpoints (one pass)."""
        pending: list[Event] = []
        since_bytes = 0
        index = self.index

        def consume(event: Event) -> None:
            nonlocal since_bytes
            pending.append(event)
            since_bytes += index.lengths[-1]
            if len(pending) >= CHECKPOINT_EVENTS or since_bytes >= CHECKPOINT_BYTES:
                self._checkpoint(pending)
                since_bytes = 0

        self.source.scan(index, consume, stop)
        if pending:
            self._checkpoint(pending)

    def _checkpoint(self, pending: list[Event]) -> None:
        self.whole.apply_all(pending)
        pending.clear()
        position = len(self.index)
        self.checkpoints.append(capture(self.whole, position))
        self._checkpoint_positions.append(position)

    def checkpoint_at(self, position: int) -> Checkpoint:
        """The last checkpoint at or before ``position``."""
        return self.checkpoints[bisect_right(self._checkpoint_positions, position) - 1]

    def events(self, start: int, stop: int) -> list[Event]:
        """The events at positions ``start`` to ``stop``: those a replay at ``start`` applies to reach ``stop``."""
        return self.source.read(self.index, max(start, 0), stop)

    def warnings(self) -> list[str]:
        """Damaged lines, skipped event types (names from the log made terminal-safe)."""
        return [terminal_safe(w) for w in self.extra_warnings + self.index.warnings()]


def open_session(path: Path) -> ReplaySession:
    """Open a session for replay: our session folder or ``events.jsonl``, or a MassGen log.

    Raises :class:`NotASession` with one clear message otherwise. Nothing is read past the
    first lines until :meth:`ReplaySession.build`.
    """
    path = Path(path)
    if not path.exists():
        raise NotASession(f"{path}: no such file or folder")
    events = path / EVENTS if path.is_dir() else path
    if events.is_file():
        kind = log_format(events)
        if kind == "ours":
            return ReplaySession(path, JsonlEvents(events))
        if kind == "massgen":
            return _massgen(path)
        if events.stat().st_size == 0:
            raise NotASession(f"{events}: the file is empty")
        raise NotASession(f"{events}: not a session log (no massgen-tui or MassGen events in its first lines)")
    if is_massgen_log(path):
        return _massgen(path)
    raise NotASession(f"{path}: no session here (expected events.jsonl, or MassGen's turn_N/attempt_N folders)")


def _massgen(path: Path) -> ReplaySession:
    imported = read_massgen_log(path)
    session = ReplaySession(path, ListEvents(imported.events), massgen=True)
    if imported.damaged_lines:
        session.extra_warnings.append(f"skipped damaged line(s) {', '.join(map(str, imported.damaged_lines))}")
    if imported.skipped:
        session.extra_warnings.append(f"skipped {sum(imported.skipped.values())} MassGen event(s) "
                                      "with no counterpart here")
    return session
