"""A one-line reminder of the main keys (fixed, unlike Textual's Footer, which rebuilds on every focus change)."""

from __future__ import annotations

from textual.content import Content
from textual.binding import Binding
from textual.widgets import Static

from massgen_tui.app.keys import binding_keys


def hints_text(bindings: list[Binding], keymap: dict[str, str]) -> Content:
    """``key description`` pairs for the bindings marked to show, then the palette and Ctrl+C."""
    text = Content()
    pairs = [(binding_keys(b, keymap), b.description) for b in bindings if b.show]
    pairs += [("^p", "palette"), ("^c", "cancel")]
    for keys, description in pairs:
        text = text.append_text(f" {keys} ", "bold reverse")
        text = text.append_text(f" {description}  ")
    return text


class KeyHints(Static):
    """The key reminder under the question bar."""

    def show_bindings(self, bindings: list[Binding], keymap: dict[str, str]) -> None:
        """Show the given bindings' current keys."""
        self.update(hints_text(bindings, keymap))
