"""Headless progress on stderr: a bar per mode with its running accuracy, redrawn in place on a terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from massgen_tui.eval.results import Record

BAR = 20


class ProgressBars:
    """Counts done and right answers per mode. On a terminal the bars are redrawn; otherwise one line per result."""

    def __init__(self, stream: TextIO, totals: dict[str, int], done: Sequence[Record] = ()) -> None:
        self._stream = stream
        self._totals = totals
        self._done = {mode: 0 for mode in totals}
        self._right = {mode: 0 for mode in totals}
        for record in done:
            self._count(record)
        self._tty = stream.isatty()
        self._drawn = 0
        self._width = max((len(m) for m in totals), default=4)

    def _count(self, record: Record) -> None:
        mode = record["mode"]
        if mode in self._done:
            self._done[mode] += 1
            self._right[mode] += bool(record["correct"])

    def line(self, mode: str) -> str:
        """``mode  [#####---------------]  5/20  accuracy 60.0%``."""
        done, total, right = self._done[mode], self._totals[mode], self._right[mode]
        filled = BAR * done // total if total else BAR
        accuracy = f"{right / done:.1%}" if done else "-"
        return f"{mode.ljust(self._width)}  [{'#' * filled}{'-' * (BAR - filled)}]  {done}/{total}  accuracy {accuracy}"

    def result(self, record: Record) -> None:
        """Count a finished item and show it."""
        self._count(record)
        if self._tty:
            self.draw()
        else:
            mark = "right" if record["correct"] else "wrong"
            print(f"{self.line(record['mode'])}  ({record['id']}: {_shown(record['extracted'])} {mark})",
                  file=self._stream, flush=True)

    def draw(self) -> None:
        """Redraw every bar (terminal only)."""
        if not self._tty:
            return
        up = f"\x1b[{self._drawn}F" if self._drawn else ""
        lines = [self.line(mode) for mode in self._totals]
        self._stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self._stream.flush()
        self._drawn = len(lines)


def _shown(extracted: str | None) -> str:
    return "(nothing extracted)" if extracted is None else extracted
