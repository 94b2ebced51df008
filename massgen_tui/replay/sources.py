"""Where recorded events come from: our own ``events.jsonl`` (read by byte offset) or a list in memory.

A source does two things: one pass over every event in order (:meth:`scan`, which fills the
:class:`EventIndex`), and reading back the events between two positions (:meth:`read`).
Files are opened read-only: replay never writes to the log it reads.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from massgen_tui.events import Event
from massgen_tui.events.types import EVENT_TYPES, UnknownEventType, event_from_dict
from massgen_tui.replay.index import EventIndex

Consumer = Callable[[Event], None]


class EventSource(Protocol):
    """Recorded events in order."""

    def scan(self, index: EventIndex, consume: Consumer, stop: threading.Event | None = None) -> None:
        """Index every event and hand each to ``consume``, in order; returns early when ``stop`` is set."""

    def read(self, index: EventIndex, start: int, stop: int) -> list[Event]:
        """The events at positions ``start`` (inclusive) to ``stop`` (exclusive)."""


class _Damaged(Exception):
    """A line that is not a readable event."""


def parse_line(raw: bytes) -> Event:
    """One line of our ``events.jsonl`` as an event; :class:`UnknownEventType` or :class:`_Damaged` if not."""
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise _Damaged(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise _Damaged("not an event object")
    try:
        return event_from_dict(data)
    except TypeError as exc:  # fields missing
        raise _Damaged(str(exc)) from None


def log_format(path: Path, lines: int = 20) -> str | None:
    """``"ours"`` or ``"massgen"`` after the first readable JSON line of ``path``; ``None`` for neither."""
    try:
        with open(path, "rb") as handle:
            for _, raw in zip(range(lines), handle):
                try:
                    data = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(data, dict) and data.get("type") in EVENT_TYPES and "seq" in data:
                    return "ours"
                if isinstance(data, dict) and "event_type" in data:
                    return "massgen"
                return None
    except OSError:
        return None
    return None


class JsonlEvents:
    """Our session log's ``events.jsonl``; damaged lines and unknown types are skipped and counted."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def scan(self, index: EventIndex, consume: Consumer, stop: threading.Event | None = None) -> None:
        offset = 0
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if stop is not None and stop.is_set():
                    return
                length = len(raw)
                if raw.strip():
                    try:
                        event = parse_line(raw)
                    except UnknownEventType as exc:
                        index.unknown_types[str(exc)] += 1
                    except _Damaged:
                        index.damaged_lines.append(number)
                    else:
                        index.add(event, offset, length)
                        consume(event)
                offset += length
        index.complete = True

    def read(self, index: EventIndex, start: int, stop: int) -> list[Event]:
        stop = min(stop, len(index))
        if start >= stop:
            return []
        first = index.offsets[start]
        end = index.offsets[stop - 1] + index.lengths[stop - 1]
        with open(self.path, "rb") as handle:
            handle.seek(first)
            block = handle.read(end - first)
        return [parse_line(block[index.offsets[i] - first:index.offsets[i] - first + index.lengths[i]])
                for i in range(start, stop)]


class ListEvents:
    """Events already in memory (a MassGen log, read whole: those are small)."""

    def __init__(self, events: list[Event]) -> None:
        self.events = events

    def scan(self, index: EventIndex, consume: Consumer, stop: threading.Event | None = None) -> None:
        for event in self.events:
            if stop is not None and stop.is_set():
                return
            index.add(event)
            consume(event)
        index.complete = True

    def read(self, index: EventIndex, start: int, stop: int) -> list[Event]:
        return self.events[start:min(stop, len(index))]

