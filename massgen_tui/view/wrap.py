"""Word wrapping of one line of plain text into display rows, by terminal cells."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

from massgen_tui.text_safety import VISIBLE_CONTROLS, repair

# Control characters would move the terminal's cursor: they show as visible symbols instead
# (see massgen_tui.text_safety). A tab becomes four spaces, so rows keep their measured width.
_SAFE = {**VISIBLE_CONTROLS, 0x09: "    "}


def make_safe(text: str) -> str:
    """``text`` with every control character except newline made visible (or, for tabs, spaced)."""
    return repair(text).translate(_SAFE)


def wrap_starts(text: str, width: int) -> list[int]:
    """Offsets in ``text`` where each display row of at most ``width`` cells starts.

    Breaks after the last space that fits; a word longer than a row is cut. A space at
    the break stays at the end of its row (rows are cropped to the width when drawn).
    """
    width = max(width, 1)
    if text.isascii():
        if len(text) <= width:
            return [0]
        starts = [0]
        start, end = 0, len(text)
        while end - start > width:
            space = text.rfind(" ", start, start + width + 1)
            start = space + 1 if space > start else start + width
            starts.append(start)
        return starts
    if cell_len(text) <= width:
        return [0]
    return _wrap_wide(text, width)


def _wrap_wide(text: str, width: int) -> list[int]:
    """:func:`wrap_starts` for text with characters that may take two cells."""
    starts = [0]
    start, cells, space = 0, 0, -1
    for index, char in enumerate(text):
        size = get_character_cell_size(char)
        if cells + size > width and index > start:
            if char != " " and space > start:
                start = space + 1
            elif char == " ":
                start = index + 1
                starts.append(start)
                cells, space = 0, -1
                continue
            else:
                start = index
            starts.append(start)
            cells, space = cell_len(text[start:index]), -1
        cells += size
        if char == " ":
            space = index
    return starts
