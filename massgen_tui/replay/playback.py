"""Playback pacing and "go to" targets, as plain functions of the recorded event times."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
MAX_IDLE_SECONDS = 1.5  # the longest a replay waits (in real time) for the next event
MAX_EVENTS_PER_STEP = 5000


@dataclass(slots=True)
class Playback:
    """Recorded time advancing at ``speed`` times real time; long idle gaps are cut short."""

    speed_index: int = SPEEDS.index(1.0)
    playing: bool = False
    clock: float = 0.0  # the recorded time reached

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def faster(self, step: int) -> float:
        """Change speed by ``step`` notches (clamped); returns the new speed."""
        self.speed_index = min(max(self.speed_index + step, 0), len(SPEEDS) - 1)
        return self.speed

    def start(self, times: Sequence[float], position: int) -> None:
        """Start playing from ``position`` (events applied)."""
        self.playing = True
        self.clock = times[position - 1] if position > 0 else (times[0] if len(times) else 0.0)

    def advance(self, seconds: float, times: Sequence[float], position: int) -> int:
        """The position ``seconds`` of real time later; stops playing at the end."""
        count = len(times)
        if position >= count:
            self.playing = False
            return position
        self.clock += seconds * self.speed
        longest_wait = MAX_IDLE_SECONDS * self.speed
        if times[position] - self.clock > longest_wait:
            self.clock = times[position] - longest_wait
        reached = position
        limit = min(count, position + MAX_EVENTS_PER_STEP)
        while reached < limit and times[reached] <= self.clock:
            reached += 1
        if reached >= count:
            self.playing = False
        return reached


_CLOCK = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$")
_SECONDS = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|min)?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


def parse_target(text: str, times: Sequence[float]) -> int:
    """The position for a time since the start (``1:23``, ``83s``, ``2m``, ``83``) or a share of the
    session's duration (``40%``): the last event at or before that time (at least the first).

    Raises ``ValueError`` with a message for anything else.
    """
    text = text.strip().lower()
    count = len(times)
    if (match := _PERCENT.match(text)) is not None:
        share = float(match.group(1))
        if share > 100:
            raise ValueError(f"{text!r}: a percentage goes from 0% to 100%")
        offset = (times[-1] - times[0]) * share / 100 if count else 0.0
    elif (match := _CLOCK.match(text)) is not None:
        hours, minutes, seconds = match.groups()
        offset = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    elif (match := _SECONDS.match(text)) is not None:
        offset = float(match.group(1)) * (60 if match.group(2) in ("m", "min") else 1)
    else:
        raise ValueError(f"{text!r}: give a time (1:23, 83s, 2m) or a percentage (40%)")
    if not count:
        return 0
    return max(bisect_right(times, times[0] + offset + _SLACK), 1)


_SLACK = 1e-6  # seconds: 100% lands on the last event despite float rounding
