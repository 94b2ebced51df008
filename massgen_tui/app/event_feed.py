"""The bus subscriber of the app: collects events cheaply; the screen drains them on a timer."""

from __future__ import annotations

from massgen_tui.events import Event


class EventFeed:
    """Append-only buffer of events, handed over in batches.

    Called by the :class:`~massgen_tui.events.EventBus` for every event (so it must stay
    cheap: one list append); :meth:`drain` returns and forgets what arrived since last time.
    """

    def __init__(self) -> None:
        self._pending: list[Event] = []

    def __call__(self, event: Event) -> None:
        self._pending.append(event)

    def drain(self) -> list[Event]:
        """Every event received since the previous call, in order."""
        events, self._pending = self._pending, []
        return events
