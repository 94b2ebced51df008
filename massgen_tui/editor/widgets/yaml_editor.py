"""The text view of a config: a code editor that marks problem lines and hides written API keys."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import TextArea

#: An ``api_key`` written in the file, block style (``api_key: sk-...``) or flow style (``{..., api_key: "sk-..."}``,
#: JSON too): group 1 is the value, hidden unless it is a ``${VAR}`` reference.
_API_KEY = re.compile(
    r"""(?:^|[{,\s])["']?api_key["']?\s*:\s*"""  # the key, quoted or not, at a line start or after { , or a space
    r"""("(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|[^,}\s][^,}]*?)"""  # the value: "double", 'single' or plain
    r"""\s*(?=[,}]|$)"""
)
_GLYPHS = {"error": "●", "warning": "▲"}


class ConfigTextEditor(TextArea):
    """A YAML/JSON code editor with problem markers in the line-number gutter.

    ``marks`` maps 0-based line numbers to ``"error"`` or ``"warning"``. A written ``api_key``
    shows as ``*`` except on the cursor's line (the text itself is unchanged).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"config-text-editor--error", "config-text-editor--warning"}

    DEFAULT_CSS = """
    ConfigTextEditor > .config-text-editor--error { background: $error; color: $text; text-style: bold; }
    ConfigTextEditor > .config-text-editor--warning { background: $warning 70%; color: $text; text-style: bold; }
    """

    def __init__(self, text: str = "", *, language: str | None, id: str | None = None) -> None:
        super().__init__(text, language=language, soft_wrap=False, tab_behavior="indent", show_line_numbers=True,
                         id=id)
        self.indent_width = 2
        self.marks: dict[int, str] = {}

    def set_marks(self, marks: dict[int, str]) -> None:
        """Mark these lines (0-based) and redraw."""
        if marks != self.marks:
            self.marks = marks
            self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if self.cursor_location[0] == line_index:
            return line
        plain = line.plain
        for match in _API_KEY.finditer(plain):
            if "${" not in match.group(1):
                start, end = match.span(1)
                plain = plain[:start] + "*" * (end - start) + plain[end:]
        if plain != line.plain:
            line.plain = plain
        return line

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        line_index = y + self.scroll_offset.y
        level = self.marks.get(line_index)
        width = self.gutter_width
        if level is None or not width or line_index >= self.document.line_count:
            return strip
        style = self.get_component_rich_style(f"config-text-editor--{level}")
        gutter = f"{line_index + self.line_number_start:>{width - 2}}{_GLYPHS[level]} "
        return Strip.join([Strip([Segment(gutter, style)], width), strip.crop(width, strip.cell_length)])
