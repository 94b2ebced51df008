"""Progress per mode (done, right, a text bar) and its headless display on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from massgen_tui.eval.results import Record

BAR = 20


class ModeProgress:
    """Done and right answers per mode, counted from results (those of a resumed run included)."""

    def __init__(self, totals: dict[str, int], done: Sequence[Record] = ()) -> None:
        self.totals = totals
        self._done = {mode: 0 for mode in totals}
        self._right = {mode: 0 for mode in totals}
        self._width = max((len(m) for m in totals), default=4)
        #: Every counted record of these modes, in the order counted (the app's chart reads them).
        self.records: list[Record] = []
        for record in done:
            self.count(record)

    def count(self, record: Record) -> None:
        """Count one finished item."""
        mode = record["mode"]
        if mode in self._done:
            self.records.append(record)
            self._done[mode] += 1
            self._right[mode] += bool(record["correct"])

    def line(self, mode: str) -> str:
        """``mode  [#####---------------]  5/20  accuracy 60.0%``."""
        done, total, right = self._done[mode], self.totals[mode], self._right[mode]
        filled = BAR * done // total if total else BAR
        accuracy = f"{right / done:.1%}" if done else "-"
        return f"{mode.ljust(self._width)}  [{'#' * filled}{'-' * (BAR - filled)}]  {done}/{total}  accuracy {accuracy}"

    def lines(self) -> list[str]:
        """A line per mode."""
        return [self.line(mode) for mode in self.totals]


class ProgressBars:
    """Headless progress on stderr: on a terminal the bars are redrawn in place; otherwise one line per result."""

    def __init__(self, stream: TextIO, progress: ModeProgress) -> None:
        self._stream = stream
        self.progress = progress
        self._tty = stream.isatty()
        self._drawn = 0

    def result(self, record: Record) -> None:
        """Count a finished item and show it."""
        self.progress.count(record)
        if self._tty:
            self.draw()
        else:
            mark = "right" if record["correct"] else "wrong"
            print(f"{self.progress.line(record['mode'])}  ({record['id']}: {_shown(record['extracted'])} {mark})",
                  file=self._stream, flush=True)

    def draw(self) -> None:
        """Redraw every bar (terminal only)."""
        if not self._tty:
            return
        up = f"\x1b[{self._drawn}F" if self._drawn else ""
        lines = self.progress.lines()
        self._stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self._stream.flush()
        self._drawn = len(lines)


def _shown(extracted: str | None) -> str:
    return "(nothing extracted)" if extracted is None else extracted
