"""How keys are written for people: ``question_mark`` is "?", ``pagedown`` is "PgDn"."""

from __future__ import annotations

from textual.binding import Binding

_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp",
          "space": "Space", "plus": "+", "minus": "-", "colon": ":", "left": "←", "right": "→",
          "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
          "right_curly_bracket": "}"}


def key_label(key: str) -> str:
    """One key, as shown on screen."""
    key = key.strip()
    return _NAMES.get(key, key)


def binding_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The binding's keys (after the keymap), comma-separated, as shown on screen."""
    keys = keymap.get(binding.id or "", binding.key)
    return ", ".join(key_label(k) for k in keys.split(","))
