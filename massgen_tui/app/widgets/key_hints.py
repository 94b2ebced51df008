"""A one-line reminder of the main keys (fixed, unlike Textual's Footer, which rebuilds on every focus change).

Help, the palette and Ctrl+C come first and always show; the screen's own hints follow in their
order, shortened (one key, the description's first word) when they do not all fit, and those that
still do not fit are left out, so no hint is ever cut in half.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from massgen_tui.app.keys import binding_keys

_ESSENTIAL = (("^p", "palette"), ("^c", "cancel"))
_GAP = 2  # cells between two hints


def _hint(keys: str, description: str) -> Content:
    return Content.styled(f" {keys} ", "bold reverse").append_text(f" {description}")


def _pairs(bindings: list[Binding], keymap: dict[str, str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(essential, the rest) as (keys, description): help and the fixed pair first, then the rest in order."""
    essential, rest = [], []
    for binding in bindings:
        if binding.show:
            keys = binding_keys(binding, keymap)
            (essential if binding.id == "help" else rest).append((keys, binding.description.lower()))
    return essential + list(_ESSENTIAL), rest


def hints_text(bindings: list[Binding], keymap: dict[str, str], width: int = 0) -> Content:
    """The hints for the bindings marked to show, fitted to ``width`` cells (``0``: all, in full)."""
    essential, rest = _pairs(bindings, keymap)
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
        self._bindings: list[Binding] = []
        self._keymap: dict[str, str] = {}

    def show_bindings(self, bindings: list[Binding], keymap: dict[str, str]) -> None:
        """Show the given bindings' current keys."""
        self._bindings, self._keymap = bindings, keymap
        self.update(hints_text(bindings, keymap, self.size.width))

    def on_resize(self) -> None:
        self.update(hints_text(self._bindings, self._keymap, self.size.width))
