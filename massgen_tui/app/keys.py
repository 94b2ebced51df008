"""How keys are written for people: ``question_mark`` is "?", ``pagedown`` is "PgDn"."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp",
          "space": "Space", "plus": "+", "minus": "-", "colon": ":", "left": "←", "right": "→",
          "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
          "right_curly_bracket": "}"}


def key_label(key: str) -> str:
    """One key, as shown on screen: ``ctrl+c`` is "Ctrl+C", ``f1`` is "F1"."""
    *modifiers, name = key.strip().split("+")
    name = _NAMES.get(name, name)
    if modifiers or (name[:1] == "f" and name[1:].isdigit()):
        name = name.upper() if len(name) == 1 or name[1:].isdigit() else name.capitalize()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def binding_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The binding's keys (after the keymap), comma-separated, as shown on screen."""
    keys = keymap.get(binding.id or "", binding.key)
    return ", ".join(key_label(k) for k in keys.split(","))


def key_hint(node: DOMNode, binding_id: str) -> str:
    """``"Key z"``: the keys of ``node``'s binding ``binding_id`` after the app's keymap (for palette hints, so a
    remapped key shows as remapped)."""
    for cls in type(node).__mro__:
        for binding in getattr(cls, "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return f"Key {binding_keys(binding, dict(node.app.keymap))}"
    raise KeyError(f"{type(node).__name__} has no binding with id {binding_id!r}")
