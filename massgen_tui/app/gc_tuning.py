"""Garbage collection for a full-screen process that streams hundreds of thousands of chunks.

Every frame leaves thousands of objects in reference cycles (Textual's strips cache themselves),
which only the collector frees. Left to itself, it collects in the middle of a frame, after the
frame's temporaries have been promoted, and a young collection then takes 30-100 ms: with 8
agents streaming that was the whole of the event loop's p99 lag (23 ms with collection off,
55-75 ms with it on). So the screen collects between frames instead, in small steps
(:func:`collect_between_frames`, called from the live screen's feed timer), and the automatic
collector is only a safety net for processes where no such timer runs.
"""

from __future__ import annotations

import gc

YOUNG_STEP = 10_000
"""Allocations (net) after which the screen collects the young generation between frames."""

SAFETY_THRESHOLD = 400_000
"""The automatic collector's young threshold: it runs only if nobody collects between frames."""

MIDDLE_EVERY = 3
"""Young collections per middle one: frame temporaries that outlive a young collection die in the middle
generation, so collecting it more often than CPython's 10 keeps each pause short."""

OLD_EVERY = 10
"""Middle collections per full one, as CPython."""


def tune_gc_for_streaming() -> None:
    """Freeze what exists now and leave young collections to the screen (process-wide: call from the entry point)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(SAFETY_THRESHOLD, middle, old)


def collect_between_frames() -> None:
    """Collect the young generation (and, in CPython's rhythm, the older ones) once enough has piled up."""
    young, middle, old = gc.get_count()
    if young < YOUNG_STEP:
        return
    generation = 0
    if middle >= MIDDLE_EVERY:
        generation = 2 if old >= OLD_EVERY else 1
    gc.collect(generation)
