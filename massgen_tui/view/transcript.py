"""One agent's whole output as styled logical lines, laid out into display rows for a width.

Lines are stored as two parallel lists (kind, text) and never pruned; rows are three integer
arrays (line index, start offset, sub-line), rebuilt only from the first line that changed, so
appending to a transcript of hundreds of thousands of lines costs only the new text.

A tool call is one line (its summary) with detail lines of its own (full arguments and result)
that show as extra rows under it while that call is expanded; sub-line 0 is the line itself and
sub-line ``k`` its ``k``-th detail line. A call's summary and details may be replaced in place
(when its result arrives); only that line's rows are laid out again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from massgen_tui.view.wrap import make_safe, wrap_starts

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

_NEVER = 1 << 62  # no row changed in place


@dataclass(frozen=True, slots=True)
class TranscriptState:
    """What a transcript held at one moment, relative to a later copy of itself (see :meth:`Transcript.state`).

    Lines only grow and every line but the last is final once written, except tool calls, whose
    summary and details change once, when the result arrives: so the state is the line count,
    the last line's kind and length (it only grows, so the later copy's line starts with it: a
    state never copies text, and a replay's checkpoints stay small however long one line grows),
    and the calls still waiting for a result as they were.
    """

    lines: int = 0
    last_kind: str = ""
    last_length: int = 0
    open: bool = False
    unfinished: tuple[tuple[int, str, tuple[str, ...]], ...] = ()


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
        self._row_sub = array("l")
        self._dirty_from = 0
        self._spliced_from = _NEVER  # the first row a tool line's in-place relayout changed
        self.details: dict[int, list[str]] = {}  # tool summary line -> its detail lines
        self.tool_lines: list[int] = []  # every tool summary line, in order
        self._unfinished: dict[int, None] = {}  # tool lines still waiting for their result
        self._toggled: set[int] = set()  # tool lines expanded (or, with expand_tools, collapsed)
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

    def append_tool(self, summary: str, details: list[str]) -> int:
        """Append a collapsed tool call; returns its line index for :meth:`finish_tool`."""
        self.append_line(TOOL, summary.replace("\n", " "))
        line = len(self.texts) - 1
        self.details[line] = [make_safe(detail) for detail in details]
        self.tool_lines.append(line)
        self._unfinished[line] = None
        return line

    def finish_tool(self, line: int, summary: str, details: list[str]) -> None:
        """Replace a tool call's summary and details with their final form (its result arrived)."""
        self.texts[line] = make_safe(summary.replace("\n", " "))
        self.details[line] = [make_safe(detail) for detail in details]
        self._unfinished.pop(line, None)
        self._searched_to = min(self._searched_to, line + 1)
        self._relayout_line(line)

    def is_expanded(self, line: int) -> bool:
        """Whether the tool call on ``line`` shows its details."""
        return (line in self._toggled) != self._expand_tools

    def toggle_tool(self, line: int) -> None:
        """Expand or collapse the tool call on ``line``."""
        self._toggled ^= {line}
        self._relayout_line(line)

    def state(self) -> TranscriptState:
        """What this transcript holds now, for :meth:`rewind` to come back to."""
        if not self.texts:
            return TranscriptState()
        unfinished = tuple((line, self.texts[line], tuple(self.details[line])) for line in self._unfinished)
        return TranscriptState(len(self.texts), self.kinds[-1], len(self.texts[-1]), self._open, unfinished)

    def rewind(self, state: TranscriptState, later: Transcript) -> None:
        """Become what this transcript was at ``state``, in place (back or forward), taking final lines
        from ``later``: a copy of the same transcript at or after ``state``. Only the changed lines'
        rows are laid out again, and any search is run again."""
        count = state.lines
        keep = max(min(len(self.texts) - 1, count - 1), 0)  # lines both sides agree on...
        changed = [line for line in self._unfinished if line < keep]  # ...but for calls finished since
        last = later.texts[count - 1][:state.last_length] if 0 < count <= len(later.texts) else ""
        del self.kinds[keep:]
        del self.texts[keep:]
        if count:
            self.kinds.extend(later.kinds[keep:count - 1])
            self.texts.extend(later.texts[keep:count - 1])
            self.kinds.append(state.last_kind)
            self.texts.append(last)
        self._open = state.open
        self.tool_lines = later.tool_lines[:bisect_left(later.tool_lines, count)]
        self.details = {line: later.details[line] for line in self.tool_lines}
        for line in changed:
            self.texts[line] = later.texts[line]
        for line, summary, details in state.unfinished:
            self.texts[line], self.details[line] = summary, list(details)
            changed.append(line)
        self._unfinished = {line: None for line, _, _ in state.unfinished}
        self._toggled = {line for line in self._toggled if line < count}
        self._touch(min([keep, *changed]))
        if self._width:  # keep the rows valid now: a hidden panel is not laid out until shown
            self.layout(self._width)
        if self._query:
            self.search(self._query)

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
        """Expand (or collapse) every tool call, forgetting single calls' choices."""
        if value != self._expand_tools or self._toggled:
            self._expand_tools = value
            self._toggled.clear()
            self._touch(self.tool_lines[0] if self.tool_lines else len(self.texts))

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
            del self._row_sub[cut:]
            row_line, row_start, row_sub = self._row_line, self._row_start, self._row_sub
            kinds, texts = self.kinds, self.texts
            hide_reasoning = not self._show_reasoning
            for index in range(first, len(texts)):
                kind = kinds[index]
                if hide_reasoning and kind == REASONING:
                    continue
                if kind == TOOL:
                    for start, sub in self._tool_rows(index, width):
                        row_line.append(index)
                        row_start.append(start)
                        row_sub.append(sub)
                    continue
                for start in wrap_starts(texts[index], width):
                    row_line.append(index)
                    row_start.append(start)
                    row_sub.append(0)
        self._dirty_from = len(self.texts)
        self._spliced_from = _NEVER
        return len(self._row_line)

    def _tool_rows(self, line: int, width: int) -> list[tuple[int, int]]:
        """(start, sub-line) of each row of a tool line: the summary on one row, then any details."""
        rows = [(0, 0)]
        if self.is_expanded(line):
            for sub, detail in enumerate(self.details.get(line, ()), 1):
                rows += [(start, sub) for start in wrap_starts(detail, width)]
        return rows

    def _relayout_line(self, line: int) -> None:
        """Lay one tool line out again in place, if it was laid out already; else leave it to :meth:`layout`."""
        if line >= self._dirty_from or not self._width:
            return
        first, last = bisect_left(self._row_line, line), bisect_right(self._row_line, line)
        rows = self._tool_rows(line, self._width)
        self._row_line[first:last] = array("l", [line] * len(rows))
        self._row_start[first:last] = array("l", [start for start, _ in rows])
        self._row_sub[first:last] = array("l", [sub for _, sub in rows])
        self._spliced_from = min(self._spliced_from, first)

    def first_dirty_row(self) -> int:
        """The first row the next :meth:`layout` at the same width may change."""
        return min(bisect_left(self._row_line, self._dirty_from), self._spliced_from)

    @property
    def row_count(self) -> int:
        """Rows of the last :meth:`layout`."""
        return len(self._row_line)

    def row(self, y: int) -> tuple[int, int, int]:
        """Row ``y`` as ``(line index, start, end)`` offsets into its text (see :meth:`row_text`)."""
        line, start, sub = self._row_line[y], self._row_start[y], self._row_sub[y]
        if y + 1 < len(self._row_line) and self._row_line[y + 1] == line and self._row_sub[y + 1] == sub:
            end = self._row_start[y + 1]
        else:
            end = len(self.texts[line] if not sub else self.details[line][sub - 1])
        return line, start, end

    def row_sub(self, y: int) -> int:
        """0 for a row of a line's own text, ``k`` for a row of its ``k``-th detail line."""
        return self._row_sub[y]

    def row_text(self, y: int) -> str:
        """The text row ``y`` shows."""
        line, start, end = self.row(y)
        sub = self._row_sub[y]
        return (self.texts[line] if not sub else self.details[line][sub - 1])[start:end]

    def row_of(self, line: int, offset: int = 0) -> int:
        """The row showing character ``offset`` of ``line`` (the nearest visible row if hidden)."""
        first = bisect_left(self._row_line, line)
        last = bisect_right(self._row_line, line)
        if first == last:
            return min(first, max(len(self._row_line) - 1, 0))
        if self.kinds[line] == TOOL:
            return first  # a tool line's own text is one row; its details follow
        index = bisect_right(self._row_start, offset, first, last) - 1
        return max(index, first)

    def tool_line_at(self, y: int) -> int | None:
        """The tool call (its summary line) that row ``y`` belongs to, if any."""
        if not 0 <= y < len(self._row_line):
            return None
        line = self._row_line[y]
        return line if self.kinds[line] == TOOL and line in self.details else None

    def last_tool_line_in(self, first_row: int, last_row: int) -> int | None:
        """The last tool call with a row in ``first_row..last_row`` (inclusive), if any."""
        if not self._row_line or first_row > last_row:
            return None
        high = self._row_line[min(last_row, len(self._row_line) - 1)]
        index = bisect_right(self.tool_lines, high) - 1
        if index < 0:
            return None
        line = self.tool_lines[index]
        return line if bisect_right(self._row_line, line) - 1 >= first_row else None

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
