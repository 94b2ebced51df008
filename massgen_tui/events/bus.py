"""The event bus: stamps each event with a sequence number and time, then hands it to every subscriber."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from massgen_tui.events.types import Event

Subscriber = Callable[[Event], None]

_log = logging.getLogger(__name__)


class EventBus:
    """Fan-out of one ordered event stream to synchronous subscribers.

    Subscribers must return quickly (write a line, post a message); a subscriber that
    raises is reported once and dropped, so a broken consumer never stops a session.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._subscribers: list[Subscriber] = []
        self._seq = 0
        self._clock = clock

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) if subscriber in self._subscribers else None

    def publish(self, event: Event) -> Event:
        """Stamp ``event`` (seq, ts) and deliver it to every subscriber, in subscription order."""
        self._seq += 1
        event.seq = self._seq
        event.ts = self._clock()
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # a consumer's bug must not end the session
                _log.exception("event subscriber %r failed; unsubscribing it", subscriber)
                self._subscribers.remove(subscriber)
        return event
