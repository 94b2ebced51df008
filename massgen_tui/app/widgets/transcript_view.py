"""A line-API view of one agent's transcript: draws only the visible rows, however long it gets."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from massgen_tui.view import transcript as tk
from massgen_tui.view.transcript import Transcript

_CACHE_LIMIT = 300  # rendered rows kept: a few screens; each Strip holds several caches of its own


class TranscriptView(ScrollView, can_focus=True):
    """Scrollable rows of a :class:`Transcript`; follows new output while scrolled to the bottom.

    The scrollbar shows only while the view does not follow (class ``-following`` hides it and
    pads its column): a scrollbar that moves with every new row doubles the cost of each frame.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"transcript--{kind}" for kind in tk.KINDS} | {
        "transcript--hit", "transcript--hit-current", "transcript--tool-detail",
    }

    HELP_GROUP: ClassVar[str] = "agent panel"  # what the help screen calls the part these keys act in

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="scroll_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="scroll_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="scroll_top"),
        Binding("end,G", "scroll_end", "Bottom (follow)", show=False, id="scroll_bottom"),
        Binding("n", "next_hit", "Next match", show=False, id="next_match"),
        Binding("N", "previous_hit", "Previous match", show=False, id="previous_match"),
        Binding("t", "toggle_tool", "Expand tool call", show=False, id="toggle_tool_call"),
        Binding("o", "open_tool_file", "Open the file a tool call in view wrote", show=False, id="open_tool_file"),
    ]

    class Following(Message):
        """The view started or stopped following, or new rows arrived while it does not follow."""

        def __init__(self, view: TranscriptView) -> None:
            super().__init__()
            self.view = view

    class OpenToolFile(Message):
        """The user asked for the file written by one of ``lines`` (the tool calls in view, last first)."""

        def __init__(self, view: TranscriptView, lines: list[int]) -> None:
            super().__init__()
            self.view = view
            self.lines = lines

    def __init__(self, transcript: Transcript, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.transcript = transcript
        self.following = True
        self.new_rows = 0
        self.current_hit = -1
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._laid_width = 0
        self._relayout_pending = False
        self.add_class("-following")

    # ------------------------------------------------------------------ content

    def refresh_content(self) -> None:
        """Lay out what the transcript gained since the last call and show it."""
        width = self.scrollable_content_region.width
        if width <= 0:
            # Hidden (behind the final answer, or a panel not yet sized): what arrives now is laid out
            # when the view is next painted at a real width, even if that is the width it had before.
            self._laid_width = 0
            return
        before = self.transcript.row_count
        first_changed = self.transcript.first_dirty_row() if width == self._laid_width else 0
        self._laid_width = width
        rows = self.transcript.layout(width)
        self._forget_rows_from(first_changed)
        if self.transcript.query:
            self.transcript.refresh_search()
        self._set_virtual_size(Size(width, rows))
        if self.following:
            # Forced: before the first layout the scrollbar (which permits scrolling) is not up yet.
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        elif rows > before:
            self.new_rows += rows - before
            self.post_message(self.Following(self))
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrollable size without a layout: ``virtual_size`` is a layout reactive, and a
        layout repaints the whole screen, while only this view's scrollbars depend on its rows."""
        if size != self.virtual_size:
            self.set_reactive(TranscriptView.virtual_size, size)
            self._scroll_update(size)

    def _forget_rows_from(self, row: int) -> None:
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        for key in [key for key in self._cache if key >= row]:
            del self._cache[key]

    def relayout(self) -> None:
        """Lay everything out again (after a width or a visibility setting changed)."""
        self._relayout_pending = False
        self._cache.clear()
        self.refresh_content()

    def on_resize(self) -> None:
        self.relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    # ---------------------------------------------------------------- following

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        following = round(new_value) >= self.max_scroll_y
        if following != self.following or (following and self.new_rows):
            self.following = following
            self.set_class(following, "-following")
            if following:
                self.new_rows = 0
            self.post_message(self.Following(self))

    @property
    def allow_vertical_scroll(self) -> bool:
        """The mouse wheel scrolls whenever there is more than a screenful, scrollbar shown or not."""
        return not self.disabled and self.virtual_size.height > self.scrollable_content_region.height

    def action_scroll_end(self) -> None:
        """Jump to the bottom and follow new output again."""
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, force=True)

    def action_scroll_down(self) -> None:
        """One row down, without animation (so is every scroll key: keyboard-first means instant)."""
        self.scroll_to(y=self.scroll_y + 1, animate=False, force=True)

    def action_scroll_up(self) -> None:
        self.scroll_to(y=self.scroll_y - 1, animate=False, force=True)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self.scrollable_content_region.height, animate=False, force=True)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self.scrollable_content_region.height, animate=False, force=True)

    # --------------------------------------------------------------- tool calls

    def action_toggle_tool(self) -> None:
        """Expand or collapse the last tool call in view."""
        top = round(self.scroll_offset.y)
        line = self.transcript.last_tool_line_in(top, top + self.scrollable_content_region.height - 1)
        if line is not None:
            self.toggle_tool(line)

    def action_open_tool_file(self) -> None:
        """Ask the screen to open the file that the last file-writing tool call in view wrote."""
        top = round(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height - 1
        rows = self.transcript.row_of
        lines = [line for line in self.transcript.tool_lines if top <= rows(line) <= bottom]
        self.post_message(self.OpenToolFile(self, lines[::-1]))

    def toggle_tool(self, line: int) -> None:
        """Expand or collapse the tool call on ``line``, keeping its summary row where it was."""
        transcript = self.transcript
        anchor = transcript.row_of(line) - round(self.scroll_offset.y)
        transcript.toggle_tool(line)
        self._cache.clear()
        self.refresh_content()
        if not self.following or not transcript.is_expanded(line):
            self.scroll_to(y=transcript.row_of(line) - anchor, animate=False, force=True)

    def on_click(self, event: Click) -> None:
        """A click on a tool call expands or collapses it."""
        offset = event.get_content_offset(self)
        if offset is None or self.text_selection is not None:
            return
        line = self.transcript.tool_line_at(round(self.scroll_offset.y) + offset.y)
        if line is not None:
            self.toggle_tool(line)

    # ------------------------------------------------------------------- search

    def search(self, query: str) -> int:
        """Highlight every match of ``query`` and jump to the first; returns the match count."""
        hits = self.transcript.search(query)
        self.current_hit = -1
        self._cache.clear()
        if hits:
            self._go_to_hit(0)
        self.refresh()
        return len(hits)

    def action_next_hit(self) -> None:
        """Jump to the next match (wrapping around)."""
        if self.transcript.hits:
            self._go_to_hit((self.current_hit + 1) % len(self.transcript.hits))

    def action_previous_hit(self) -> None:
        """Jump to the previous match (wrapping around)."""
        if self.transcript.hits:
            self._go_to_hit((self.current_hit - 1) % len(self.transcript.hits))

    def _go_to_hit(self, index: int) -> None:
        self.current_hit = index
        hit = self.transcript.hits[index]
        row = self.transcript.row_of(hit.line, hit.start)
        self._cache.clear()
        top = max(row - self.scrollable_content_region.height // 2, 0)
        self.scroll_to(y=top, animate=False)
        self.refresh()

    # ---------------------------------------------------------------- rendering

    def _style(self, name: str) -> Style:
        """The style of a line kind (or of the view itself for ``""``), cached until styles change.

        Whole styles, not partial ones: a partial style resolves a colour such as ``$text-muted``
        (``auto 60%``) without the background it is relative to, which comes out white.
        """
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"transcript--{name}") if name else self.rich_style
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        row = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if width != self._laid_width and not self._relayout_pending:
            # Painted at a width it was not laid out for: a Resize does not always reach a view
            # that was sized while mounting, so lay out again right after this frame.
            self._relayout_pending = True
            self.call_later(self.relayout)
        base = self._style("")
        if row >= self.transcript.row_count:
            return Strip.blank(width, base)
        strip = self._cache.get(row)
        if strip is None:
            strip = self._cache[row] = self._render_row(row, width, base)
        return strip

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        transcript = self.transcript
        line, start, end = transcript.row(row)
        kind, sub = transcript.kinds[line], transcript.row_sub(row)
        text = transcript.row_text(row)
        style = base + self._style("tool-detail" if sub else kind)
        if kind == tk.TOOL and not sub and cell_len(text) > width:
            text = chop_cells(text[: width * 2], max(width - 1, 1))[0] + "…"  # a tool line can be huge
            end = start + len(text) - 1
        marks = self._marks(row, line, start, end, searched=not sub)
        if marks:
            rich_text = Text(text, style=style, end="")
            for left, right, mark in marks:
                rich_text.stylize(mark, left, right)
            segments = list(rich_text.render(self.app.console))
        else:
            segments = [Segment(text, style)]
        used = cell_len(text)
        if used > width:  # only a trailing space at a wrap point can overflow
            strip = Strip(segments).crop(0, width)
        else:
            if used < width:
                segments.append(Segment(" " * (width - used), base))
            strip = Strip(segments, width)
        return strip.apply_offsets(0, row)  # lets the screen map a mouse selection to text

    def _marks(self, row: int, line: int, start: int, end: int, *, searched: bool) -> list[tuple[int, int, Style]]:
        """Search hits (if the row's text is ``searched``) and the mouse selection, as (start, end, style)."""
        marks = []
        if searched and self.transcript.query:
            current = self.transcript.hits[self.current_hit] if self.current_hit >= 0 else None
            for hit in self.transcript.hits_on(line):
                left, right = max(hit.start, start) - start, min(hit.end, end) - start
                if right > left:
                    marks.append((left, right, self._style("hit-current" if hit == current else "hit")))
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(row)) is not None:
            left, right = span
            marks.append((left, end - start if right == -1 else right, self._selection_style()))
        return marks

    def _selection_style(self) -> Style:
        """The screen's selection style; a transparent selection colour keeps the text's own colour
        (as Textual's own widgets do), where the whole style would paint it in the background colour."""
        style = self.screen.get_component_rich_style("screen--selection")
        if self.screen.get_component_styles("screen--selection").color.a == 0:
            return Style(bgcolor=style.bgcolor)
        return style

    # ---------------------------------------------------------------- selection

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text: rows of one wrapped line join without a newline, lines with one."""
        transcript = self.transcript
        rows = transcript.row_count
        if not rows:
            return None
        first_row, first_x = (0, 0) if selection.start is None else (selection.start.y, selection.start.x)
        last_row, last_x = (rows - 1, None) if selection.end is None else (selection.end.y, selection.end.x)
        pieces: list[str] = []
        previous = None
        for row in range(max(first_row, 0), min(last_row, rows - 1) + 1):
            line = (transcript.row(row)[0], transcript.row_sub(row))
            text = transcript.row_text(row)
            if row == last_row and last_x is not None:
                text = text[:last_x]
            if row == first_row:
                text = text[first_x:]
            if previous is not None and line != previous:
                pieces.append("\n")
            pieces.append(text)
            previous = line
        return "".join(pieces), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._cache.clear()
        self.refresh()
