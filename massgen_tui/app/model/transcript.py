"""One agent's whole output as styled logical lines, laid out into display rows for a width.

Lines are stored as two parallel lists (kind, text) and never pruned; rows are two integer
arrays (line index, start offset), rebuilt only from the first line that changed, so appending
to a transcript of hundreds of thousands of lines costs only the new text.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from massgen_tui.app.model.wrap import make_safe, wrap_starts

# Line kinds; each has a component class "transcript--<kind>" on the view that draws it.
TEXT = "text"
REASONING = "reasoning"
TOOL = "tool"
ANSWER = "answer"
VOTE = "vote"
RULE = "rule"
ERROR = "error"
NOTICE = "notice"
WINNER = "winner"
KINDS = (TEXT, REASONING, TOOL, ANSWER, VOTE, RULE, ERROR, NOTICE, WINNER)

_STREAMED = (TEXT, REASONING)


@dataclass(frozen=True, slots=True)
class Hit:
    """A search match: ``line`` index and the character range ``start:end`` in that line."""

    line: int
    start: int
    end: int


class Transcript:
    """Append-only styled lines with a row layout and a search over them."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.texts: list[str] = []
        self._open = False  # the last line is streamed text that the next delta of its kind continues
        self._width = 0
        self._show_reasoning = True
        self._expand_tools = False
        self._row_line = array("l")
        self._row_start = array("l")
        self._dirty_from = 0
        self._query = ""
        self._hits: list[Hit] = []
        self._hit_lines: dict[int, list[Hit]] = {}
        self._searched_to = 0

    # ------------------------------------------------------------------ content

    def __len__(self) -> int:
        return len(self.texts)

    def append_stream(self, kind: str, text: str) -> None:
        """Append streamed text of ``kind`` (text or reasoning), continuing its open line."""
        if not text:
            return
        if not (self._open and self.kinds[-1] == kind):
            self._close()
            self._add(kind, "")
            self._open = True
        else:
            self._touch(len(self.texts) - 1)
        parts = make_safe(text).split("\n")
        self.texts[-1] += parts[0]
        for part in parts[1:]:
            self._add(kind, part)

    def append_line(self, kind: str, text: str) -> None:
        """Append a complete entry (a marker, tool call, answer...); newlines in ``text`` split it."""
        self._close()
        for part in make_safe(text).split("\n"):
            self._add(kind, part)

    def _add(self, kind: str, text: str) -> None:
        self.kinds.append(kind)
        self.texts.append(text)
        self._touch(len(self.texts) - 1)

    def _close(self) -> None:
        """End the open streamed line; an empty one only marks a trailing newline, so it goes."""
        if self._open and self.texts[-1] == "":
            self.kinds.pop()
            self.texts.pop()
            self._touch(len(self.texts))
        self._open = False

    def _touch(self, line: int) -> None:
        self._dirty_from = min(self._dirty_from, line)

    # ------------------------------------------------------------------- layout

    @property
    def show_reasoning(self) -> bool:
        return self._show_reasoning

    @show_reasoning.setter
    def show_reasoning(self, value: bool) -> None:
        if value != self._show_reasoning:
            self._show_reasoning = value
            self._touch(0)

    @property
    def expand_tools(self) -> bool:
        return self._expand_tools

    @expand_tools.setter
    def expand_tools(self, value: bool) -> None:
        if value != self._expand_tools:
            self._expand_tools = value
            self._touch(0)

    def layout(self, width: int) -> int:
        """Lay the lines out for ``width`` cells (only what changed); returns the row count."""
        if width != self._width:
            self._width = width
            self._dirty_from = 0
        first = self._dirty_from
        if first < len(self.texts) or len(self._row_line) and self._row_line[-1] >= len(self.texts):
            cut = bisect_left(self._row_line, first)
            del self._row_line[cut:]
            del self._row_start[cut:]
            row_line, row_start = self._row_line, self._row_start
            kinds, texts = self.kinds, self.texts
            hide_reasoning, compact_tools = not self._show_reasoning, not self._expand_tools
            for index in range(first, len(texts)):
                kind = kinds[index]
                if hide_reasoning and kind == REASONING:
                    continue
                if compact_tools and kind == TOOL:
                    starts = [0]
                else:
                    starts = wrap_starts(texts[index], width)
                for start in starts:
                    row_line.append(index)
                    row_start.append(start)
        self._dirty_from = len(self.texts)
        return len(self._row_line)

    def first_dirty_row(self) -> int:
        """The first row the next :meth:`layout` at the same width may change."""
        return bisect_left(self._row_line, self._dirty_from)

    @property
    def row_count(self) -> int:
        """Rows of the last :meth:`layout`."""
        return len(self._row_line)

    def row(self, y: int) -> tuple[int, int, int]:
        """Row ``y`` as ``(line index, start, end)`` offsets into that line's text."""
        line, start = self._row_line[y], self._row_start[y]
        if y + 1 < len(self._row_line) and self._row_line[y + 1] == line:
            end = self._row_start[y + 1]
        else:
            end = len(self.texts[line])
        return line, start, end

    def row_of(self, line: int, offset: int = 0) -> int:
        """The row showing character ``offset`` of ``line`` (the nearest visible row if hidden)."""
        first = bisect_left(self._row_line, line)
        last = bisect_right(self._row_line, line)
        if first == last:
            return min(first, max(len(self._row_line) - 1, 0))
        index = bisect_right(self._row_start, offset, first, last) - 1
        return max(index, first)

    # ------------------------------------------------------------------- search

    @property
    def query(self) -> str:
        return self._query

    @property
    def hits(self) -> list[Hit]:
        """Every match of the query, in order (updated by :meth:`search` and :meth:`refresh_search`)."""
        return self._hits

    def hits_on(self, line: int) -> list[Hit]:
        """The matches inside one line."""
        return self._hit_lines.get(line, [])

    def search(self, query: str) -> list[Hit]:
        """Find every case-insensitive occurrence of ``query``; an empty query clears the search."""
        self._query = query
        self._hits, self._hit_lines, self._searched_to = [], {}, 0
        return self.refresh_search()

    def refresh_search(self) -> list[Hit]:
        """Extend the search over lines added or changed since the last search."""
        if not self._query:
            return self._hits
        # The last searched line may have grown since: search it again.
        first = max(self._searched_to - 1, 0)
        while self._hits and self._hits[-1].line >= first:
            self._hits.pop()
        self._hit_lines = {k: v for k, v in self._hit_lines.items() if k < first}
        needle = self._query.lower()
        for index in range(first, len(self.texts)):
            haystack = self.texts[index].lower()
            at = haystack.find(needle)
            while at != -1:
                hit = Hit(index, at, at + len(needle))
                self._hits.append(hit)
                self._hit_lines.setdefault(index, []).append(hit)
                at = haystack.find(needle, at + len(needle))
        self._searched_to = len(self.texts)
        return self._hits
