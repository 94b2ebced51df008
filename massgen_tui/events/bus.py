"""The event bus: stamps each event with a sequence number and time, then hands it to every subscriber."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable

from massgen_tui.events.types import Event

Subscriber = Callable[[Event], None]
#: Turns one published event into the events to deliver now (the redactor may hold text back, or add an event).
Transform = Callable[[Event], list[Event]]

_log = logging.getLogger(__name__)


class EventBus:
    """Fan-out of one ordered event stream to synchronous subscribers.

    Subscribers must return quickly (write a line, post a message); a subscriber that
    raises is reported once and dropped, so a broken consumer never stops a session. An
    event a subscriber publishes while an event is being delivered (the log writer reporting
    a failure) is delivered right after it, so every subscriber sees events in ``seq`` order.
    ``transform`` (the secret redactor) sees each event first; subscribers get what it returns,
    numbered in delivery order.
    """

    def __init__(self, clock: Callable[[], float] = time.time, transform: Transform | None = None) -> None:
        self._subscribers: list[Subscriber] = []
        self._seq = 0
        self._clock = clock
        self._transform = transform
        self._queue: deque[Event] = deque()
        self._delivering = False

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it again."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber) if subscriber in self._subscribers else None

    def publish(self, event: Event) -> Event:
        """Stamp what the transform makes of ``event`` (seq, ts) and deliver it to every subscriber, in order."""
        for item in self._transform(event) if self._transform is not None else (event,):
            self._seq += 1
            item.seq = self._seq
            item.ts = self._clock()
            self._queue.append(item)
        if self._delivering:
            return event
        self._delivering = True
        try:
            while self._queue:
                self._deliver(self._queue.popleft())
        finally:
            self._delivering = False
        return event

    def _deliver(self, event: Event) -> None:
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # a consumer's bug must not end the session
                _log.exception("event subscriber %r failed; unsubscribing it", subscriber)
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
