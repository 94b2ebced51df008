"""Where recorded events come from: our own ``events.jsonl`` (read by byte offset) or a list in memory.

A source does two things: one pass over every event in order (:meth:`scan`, which fills the
:class:`EventIndex`), and reading back the events between two positions (:meth:`read`).
Files are opened read-only: replay never writes to the log it reads.
"""

from __future__ import annotations

import json
import math
import threading
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

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


class _Damaged(ValueError):
    """A line that is not a readable event."""


def _no_constant(name: str) -> Any:
    raise _Damaged(f"{name} is not a JSON number")


def parse_line(raw: bytes) -> Event:
    """One line of our ``events.jsonl`` as an event; :class:`UnknownEventType` or :class:`_Damaged` if not.

    A line is damaged when it is not JSON (``NaN`` included), nests too deeply, or has a field of the
    wrong type (``"seq": "7"``, ``"ts": "soon"``, a list where text belongs).
    """
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise _Damaged("nested too deeply" if isinstance(exc, RecursionError) else str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise _Damaged("not an event object")
    cls = EVENT_TYPES.get(data["type"])
    if cls is not None:
        hints = _field_types(cls)
        for name, value in data.items():
            if name in hints and not _fits(value, hints[name]):
                raise _Damaged(f"{name!r} has the wrong type")
    try:
        return event_from_dict(data)
    except TypeError as exc:  # fields missing
        raise _Damaged(str(exc)) from None


_FIELD_TYPES: dict[str, dict[str, Any]] = {}


def _field_types(cls: type[Event]) -> dict[str, Any]:
    if cls.type not in _FIELD_TYPES:
        _FIELD_TYPES[cls.type] = typing.get_type_hints(cls)
    return _FIELD_TYPES[cls.type]


def _fits(value: Any, hint: Any) -> bool:
    """Whether a JSON value can stand for a field annotated ``hint`` (numbers finite)."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is Any or origin is typing.ClassVar:
        return True
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if hint is str:
        return isinstance(value, str)
    args = typing.get_args(hint)
    if origin in (list, tuple) or hint in (list, tuple):
        return isinstance(value, list) and (not args or all(_fits(item, args[0]) for item in value))
    if origin is dict or hint is dict:
        return isinstance(value, dict) and (len(args) < 2 or all(_fits(item, args[1]) for item in value.values()))
    return True


def log_format(path: Path, lines: int = 20) -> str | None:
    """``"ours"`` or ``"massgen"`` after the first readable JSON line of ``path``; ``None`` for neither."""
    try:
        with open(path, "rb") as handle:
            for _, raw in zip(range(lines), handle, strict=False):
                try:
                    data = json.loads(raw)
                except (ValueError, RecursionError):
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

