"""A one-line reminder of the main keys (fixed, unlike Textual's Footer, which rebuilds on every focus change).

Help, the palette and the app's cancel (or quit) key come first and always show, as the keymap has
them; the screen's own hints follow in their order, shortened (one key, the description's first
word) when they do not all fit, and those that still do not fit are left out, so no hint is ever
cut in half.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from massgen_tui.app.keys import app_keymap, binding_keys, key_label

_GAP = 2  # cells between two hints
#: The app's own key the hints always name, by binding id: the first one the app has.
_APP_KEYS = (("interrupt", "cancel"), ("quit", "quit"))


def _compact(key: str) -> str:
    """The hint line's short form of one key: ``ctrl+p`` is ``^p``; any other key as shown elsewhere."""
    modifiers, _, name = key.strip().rpartition("+")
    return f"^{name}" if modifiers == "ctrl" else key_label(key)


def essential_hints(app: App[object]) -> list[tuple[str, str]]:
    """(keys, description) of the palette and the app's cancel or quit key, after the keymap."""
    hints = [(_compact(app.COMMAND_PALETTE_BINDING.split(",")[0]), "palette")]
    keymap = app_keymap(app)
    bindings = {b.id: b for b in app.BINDINGS if isinstance(b, Binding) and b.id}
    for binding_id, description in _APP_KEYS:
        if binding_id in bindings:
            keys = keymap.get(binding_id, bindings[binding_id].key)
            hints.append((_compact(keys.split(",")[0]), description))
            break
    return hints


def _hint(keys: str, description: str) -> Content:
    return Content.styled(f" {keys} ", "bold reverse").append_text(f" {description}")


def _pairs(bindings: list[Binding], keymap: dict[str, str],
           always: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(essential, the rest) as (keys, description): help and ``always`` first, then the rest in order."""
    essential: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    for binding in bindings:
        if binding.show:
            keys = binding_keys(binding, keymap)
            (essential if binding.id == "help" else rest).append((keys, binding.description.lower()))
    return essential + always, rest


def hints_text(bindings: list[Binding], keymap: dict[str, str], width: int = 0,
               always: list[tuple[str, str]] | None = None) -> Content:
    """The hints for the bindings marked to show, after ``always`` (keys, description) pairs, fitted to
    ``width`` cells (``0``: all, in full)."""
    essential, rest = _pairs(bindings, keymap, always or [])
    full = [_hint(keys, description) for keys, description in essential + rest]
    if not width or sum(hint.cell_length for hint in full) + _GAP * (len(full) - 1) <= width:
        return Content(" " * _GAP).join(full)
    shown = [_hint(keys.split(", ")[0], description) for keys, description in essential]
    used = sum(hint.cell_length + _GAP for hint in shown)
    for keys, description in rest:
        hint = _hint(keys.split(", ")[0], description.split()[0])
        if used + hint.cell_length <= width:
            shown.append(hint)
            used += hint.cell_length + _GAP
    return Content(" " * _GAP).join(shown)


class KeyHints(Static):
    """The key reminder under the question bar, fitted to its width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._hinted: list[Binding] = []  # (not ``_bindings``: Textual's own map of a widget's bindings)
        self._keymap: dict[str, str] = {}

    def show_bindings(self, bindings: list[Binding], keymap: dict[str, str]) -> None:
        """Show the given bindings' current keys."""
        self._hinted, self._keymap = bindings, keymap
        self._refresh_hints()

    def on_resize(self) -> None:
        self._refresh_hints()

    def _refresh_hints(self) -> None:
        self.update(hints_text(self._hinted, self._keymap, self.size.width, essential_hints(self.app)))
