"""How keys are written for people: ``question_mark`` is "?", ``pagedown`` is "PgDn"."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp",
          "space": "Space", "plus": "+", "minus": "-", "colon": ":", "left": "←", "right": "→",
          "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
          "right_curly_bracket": "}", "home": "Home", "end": "End", "tab": "Tab", "enter": "Enter",
          "delete": "Del", "backspace": "Backspace", "insert": "Ins", "up": "↑", "down": "↓"}


def key_label(key: str) -> str:
    """One key, as shown on screen: ``ctrl+c`` is "Ctrl+C", ``f1`` is "F1", ``ctrl+pageup`` is "Ctrl+PgUp"."""
    *modifiers, name = key.strip().split("+")
    if name in _NAMES:
        name = _NAMES[name]
    elif modifiers or (name[:1] == "f" and name[1:].isdigit()):
        name = name.upper() if len(name) == 1 or name[1:].isdigit() else name.capitalize()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def binding_keys(binding: Binding, keymap: dict[str, str]) -> str:
    """The binding's keys (after the keymap), comma-separated, as shown on screen."""
    keys = keymap.get(binding.id or "", binding.key)
    return ", ".join(key_label(k) for k in keys.split(","))


def app_keymap(node: DOMNode) -> dict[str, str]:
    """The keymap (binding id -> keys) of ``node``'s app: its settings file's, or none."""
    keymap = getattr(node.app, "keymap", None)  # set by the apps that read a settings file
    return dict(keymap) if isinstance(keymap, dict) else {}


def class_binding(cls: type[DOMNode], binding_id: str) -> Binding:
    """The binding with id ``binding_id`` in the ``BINDINGS`` of ``cls`` or of a class it derives from."""
    for klass in cls.__mro__:
        for binding in getattr(klass, "BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id == binding_id:
                return binding
    raise KeyError(f"{cls.__name__} has no binding with id {binding_id!r}")


def keys_of(node: DOMNode, binding_id: str, owner: type[DOMNode] | None = None) -> str:
    """The keys of the binding ``binding_id`` of ``owner`` (by default ``node``'s class) after ``node``'s app's
    keymap, as shown on screen: ``"?, F1"``."""
    return binding_keys(class_binding(owner or type(node), binding_id), app_keymap(node))


def key_hint(node: DOMNode, binding_id: str, owner: type[DOMNode] | None = None) -> str:
    """``"Key z"``: :func:`keys_of` for palette hints, so a remapped key shows as remapped."""
    return f"Key {keys_of(node, binding_id, owner)}"
