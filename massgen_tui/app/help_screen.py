"""The help screen: the keys of the screen under it, as the keymap has them, with their ids for the settings keymap.

It imports no other screen: it reads the bindings Textual has active on the screen under it (the focused
widget's, its containers', the screen's and the app's, after the user's keymap), then the keys of the other
parts of that screen, which act once one of them has focus. Each screen lists its own keys when help is
opened over it (the config editor's, say, from the editor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from massgen_tui.app.keys import app_keymap, key_label, keys_of


@dataclass
class KeyRow:
    """One line of the help: the keys that do one thing, what it does, and the binding ids to remap it by."""

    keys: list[str]
    description: str
    ids: list[str] = field(default_factory=list)
    enabled: bool = True

    @property
    def shown_keys(self) -> str:
        return ", ".join(key_label(key) for key in self.keys)


Section = tuple[str, list[KeyRow]]
"""(where the keys act, its rows)."""


def help_group(node: DOMNode) -> str:
    """What the help calls the part of the app ``node`` is: its class's ``HELP_GROUP``, else its class name in
    words ("ConfigEditorScreen" is "config editor"); the app is "anywhere"."""
    if isinstance(node, App):
        return "anywhere"
    group = getattr(type(node), "HELP_GROUP", None)
    if isinstance(group, str) and group:
        return group
    name = re.sub(r"Screen$", "", type(node).__name__) or type(node).__name__
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _is_textuals(node: DOMNode) -> bool:
    """A building block from Textual (a scrolling container, an input): its keys belong to the part holding it."""
    return type(node).__module__.split(".")[0] == "textual" and not isinstance(node, (Screen, App))


def _declared(node: DOMNode, keymap: dict[str, str]) -> dict[str, Binding]:
    """Key -> binding, for the bindings with an id that ``node``'s class and its bases declare, each under its
    keys after ``keymap``, in the order declared (the help's order for a row's keys)."""
    by_key: dict[str, Binding] = {}
    for klass in reversed(type(node).__mro__):
        for binding in klass.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                for key in keymap.get(binding.id, binding.key).split(","):
                    by_key[key.strip()] = binding
    return by_key


def _add(rows: dict[str, KeyRow], key: str, binding: Binding, enabled: bool) -> None:
    """Add ``key`` to the row for what ``binding`` does (one row per description, so ``k`` and an inner
    scroller's ``up`` that both scroll up share one)."""
    row = rows.setdefault(binding.description.lower(), KeyRow([], binding.description, enabled=enabled))
    if key not in row.keys:
        row.keys.append(key)
    if binding.id and binding.id not in row.ids:
        row.ids.append(binding.id)
    row.enabled = row.enabled or enabled


def _rows(rows: dict[str, KeyRow], declared: dict[str, Binding]) -> list[KeyRow]:
    """The rows in the order their bindings are declared (a remapped key in its binding's place), each with its
    keys in that order too; keys declared elsewhere (a Textual widget's) after them, as they came."""
    order = {key: index for index, key in enumerate(declared)}

    def place(key: str) -> int:
        return order.get(key, len(order))

    for row in rows.values():
        row.keys.sort(key=place)
    return sorted(rows.values(), key=lambda row: place(row.keys[0]))


def _group_of(node: DOMNode, chain: list[DOMNode]) -> DOMNode:
    """The node whose group lists ``node``'s keys: itself, or for a Textual building block the nearest
    container of it in ``chain`` that is not one."""
    if not _is_textuals(node) or node not in chain:
        return node
    return next((n for n in chain[chain.index(node):] if not _is_textuals(n)), node)


def active_sections(screen: Screen[object]) -> list[Section]:
    """The keys that act on ``screen`` now (after the keymap), grouped from the focused part out to the app's.

    A key a Textual building block handles (the final answer's scroller's ``up``) is listed under the part
    holding it, on the row of that part's binding that does the same (by description) if there is one."""
    focused = screen.focused
    chain: list[DOMNode] = list(focused.ancestors_with_self) if focused is not None else [screen, screen.app]
    keymap = app_keymap(screen)
    groups: dict[DOMNode, dict[str, KeyRow]] = {}
    declared: dict[DOMNode, dict[str, Binding]] = {}
    for key, active in screen.active_bindings.items():
        group = _group_of(active.node, chain)
        declared.setdefault(group, _declared(group, keymap))
        _add(groups.setdefault(group, {}), key, active.binding, active.enabled)
    order = {node: index for index, node in enumerate(chain)}
    ordered = sorted(groups, key=lambda node: order.get(node, len(order)))
    return [(help_group(node), _rows(groups[node], declared[node])) for node in ordered if groups[node]]


def elsewhere_sections(screen: Screen[object]) -> list[Section]:
    """The keys of the parts of ``screen`` without focus now (the final answer while an agent panel has it,
    say), once per kind of part: its bindings that have an id, after the app's keymap."""
    focused = screen.focused
    chain = set(focused.ancestors_with_self) if focused is not None else set()
    keymap = app_keymap(screen)
    seen = {type(node) for node in chain}
    sections: list[Section] = []
    for node in screen.walk_children():
        if type(node) in seen or _is_textuals(node):
            continue
        seen.add(type(node))
        declared = _declared(node, keymap)
        rows: dict[str, KeyRow] = {}
        for key, binding in declared.items():
            _add(rows, key, binding, True)
        if rows:
            sections.append((help_group(node), _rows(rows, declared)))
    return sections


def binding_table(sections: list[Section]) -> Table:
    """A table of (where, keys, what, id) for the given sections; keys that are shown but do nothing now (an
    action that says so) are dim."""
    table = Table(expand=True, box=None, pad_edge=False)
    for column in ("where", "keys", "what", "id"):
        table.add_column(column, style="bold" if column == "keys" else "", no_wrap=column != "what")
    for where, rows in sections:
        for row in rows:
            table.add_row(where, row.shown_keys, row.description, ", ".join(row.ids), style="" if row.enabled
                          else "dim")
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen under it; Esc, q or ? closes it."""

    HELP_GROUP: ClassVar[str] = "help"

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .title { text-style: bold; }
    HelpScreen .heading { text-style: bold; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="close_help"),
    ]

    def under(self) -> Screen[object] | None:
        """The screen this help is about: the one under it."""
        stack = self.app.screen_stack
        below = stack[:stack.index(self)] if self in stack else stack
        return below[-1] if below else None

    def compose(self) -> ComposeResult:
        screen = self.under()
        with VerticalScroll():
            yield Static(f"Keys (remap them by id in the settings file's [keymap] section; "
                         f"{keys_of(self, 'close_help')} closes this help)", classes="title", markup=False)
            if screen is None:
                return
            yield Static("Keys that act now", classes="heading", markup=False)
            yield Static(binding_table(active_sections(screen)))
            elsewhere = elsewhere_sections(screen)
            if elsewhere:
                yield Static("Keys of the other parts of this screen (they act once that part has focus)",
                             classes="heading", markup=False)
                yield Static(binding_table(elsewhere))
