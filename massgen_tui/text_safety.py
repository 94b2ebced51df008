"""Text from models, tools and logs made safe to show on a terminal (no Textual import).

A terminal acts on control characters: ``ESC ] 0 ; … BEL`` sets its title, ``ESC ] 52 ; …``
writes the clipboard, ``ESC [ 2 J`` clears the screen, the 8-bit ``0x9b`` starts the same
sequences without ESC, and a lone ``\\r`` lets later text overwrite earlier text. Every such
character is replaced by a visible one-cell stand-in, so the text still shows what arrived
and keeps its width: C0 controls and DEL become their Unicode Control Pictures (``␛``,
``␇``, ``␡``), C1 controls (``0x80``-``0x9f``, which have no pictures) become ``�``, and a
carriage return is dropped (line ends are ``\\n``; the text on both sides of a lone ``\\r``
stays visible, so nothing is overwritten). Unpaired surrogates (valid in JSON, not
encodable as UTF-8) become ``�`` too. Newline and tab are kept.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

#: ``str.translate`` table: every C0/C1 control and DEL to its visible stand-in (or ``None`` for CR).
VISIBLE_CONTROLS: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}
VISIBLE_CONTROLS.update({0x7F: "\u2421", 0x0D: None})
VISIBLE_CONTROLS.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
del VISIBLE_CONTROLS[0x0A], VISIBLE_CONTROLS[0x09]

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def repair(text: str) -> str:
    """``text`` with unpaired surrogates replaced by ``�``, so it always encodes as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub(REPLACEMENT, text)


def terminal_safe(text: str) -> str:
    """``text`` with nothing a terminal would act on: controls made visible, CR dropped, surrogates repaired."""
    if _UNSAFE.search(text) is None:
        return text
    return repair(text).translate(VISIBLE_CONTROLS)
