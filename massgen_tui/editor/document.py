"""The round-trip layer: a config file's data, edited in place and written back with its layout.

YAML goes through ruamel.yaml's round-trip mode, so hand-written comments, key order, quoting and
indentation survive an edit made in the form (PyYAML drops all of them). JSON goes through
:mod:`json` (JSON has no comments; key order and indentation are kept).
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator, MutableMapping, MutableSequence
from contextlib import contextmanager
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken
from ruamel.yaml.util import load_yaml_guess_indent

from massgen_tui.config.keypath import KeyPath, format_path

#: Mappings that stay when their last key is removed (an agent without keys is still an agent).
_KEPT_WHEN_EMPTY = frozenset({"backend"})
_PYYAML_STR = "tag:yaml.org,2002:str"


class DocumentError(Exception):
    """The text cannot be edited through the form (malformed, or not a mapping at the top)."""


class ConfigDocument:
    """A config's data as written, with edits that keep everything else of the file as it was."""

    def __init__(self, data: MutableMapping[str, Any], *, yaml: YAML | None, json_indent: int = 2,
                 trailing_newline: bool = True) -> None:
        self.data = data
        #: Where keys removed by :meth:`set` were, so a field cleared and typed again keeps its place.
        self._vacated: dict[KeyPath, int] = {}
        self._yaml = yaml
        self._json_indent = json_indent
        self._trailing_newline = trailing_newline

    # ------------------------------------------------------------------ reading and writing

    @classmethod
    def parse(cls, text: str, *, as_json: bool = False) -> ConfigDocument:
        """The document ``text`` holds; raises :class:`DocumentError` if the form cannot edit it."""
        if as_json:
            return cls._parse_json(text)
        round_trip = YAML()
        round_trip.preserve_quotes = True
        round_trip.width = 4096  # never re-wrap long lines
        try:
            data, indent, offset = load_yaml_guess_indent(text, yaml=round_trip)
        except YAMLError as exc:
            raise DocumentError(f"invalid YAML: {exc}") from None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            raise DocumentError("the top level is not a mapping")
        mapping = indent - offset if indent and offset is not None and indent > offset else (indent or 2)
        offset = mapping if offset is None else offset
        round_trip.indent(mapping=mapping, sequence=offset + 2, offset=offset)
        return cls(data, yaml=round_trip)

    @classmethod
    def _parse_json(cls, text: str) -> ConfigDocument:
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise DocumentError(f"invalid JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise DocumentError("the top level is not an object")
        indented = [line for line in text.splitlines()[1:] if line.startswith(" ")]
        indent = len(indented[0]) - len(indented[0].lstrip(" ")) if indented else 2
        return cls(data, yaml=None, json_indent=indent, trailing_newline=text.endswith("\n") or not text)

    def dump(self) -> str:
        """The document as text."""
        if self._yaml is None:
            text = json.dumps(self.data, indent=self._json_indent, ensure_ascii=False)
            return text + "\n" if self._trailing_newline else text
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return out.getvalue()

    # ------------------------------------------------------------------ values by key path

    def get(self, path: KeyPath, default: Any = None) -> Any:
        """The value at ``path``, or ``default`` when any part of it is missing."""
        node: Any = self.data
        for part in path:
            if isinstance(node, MutableMapping) and isinstance(part, str) and part in node:
                node = node[part]
            elif isinstance(node, MutableSequence) and isinstance(part, int) and -len(node) <= part < len(node):
                node = node[part]
            else:
                return default
        return node

    def set(self, path: KeyPath, value: Any) -> None:
        """Write ``value`` at ``path`` (creating missing mappings); ``None`` removes the key or item.

        An existing key keeps its place, quoting and comments; a new key goes last in its mapping.
        A mapping left empty by a removal goes too (except agents and backends).
        """
        if value is None:
            self._remove(path)
            return
        parent = self._mapping_at(path[:-1])
        key = path[-1]
        if not isinstance(key, str):
            raise TypeError(f"cannot set {format_path(path)}: only a mapping key is set, a list item is appended")
        value = self._styled(value, parent.get(key))
        if key in parent:
            parent[key] = value
            return
        position = self._vacated.pop(path, len(parent))
        if position < len(parent):
            insert_key(parent, position, key, value)
            return
        with _gap_kept(parent):
            parent[key] = value

    def _mapping_at(self, path: KeyPath) -> MutableMapping[str, Any]:
        """The mapping at ``path``, made where missing (list indexes must exist)."""
        node: MutableMapping[str, Any] | MutableSequence[Any] = self.data
        for position, part in enumerate(path):
            indexed = position + 1 < len(path) and isinstance(path[position + 1], int)
            kind = MutableSequence if indexed else MutableMapping
            if isinstance(node, MutableSequence) and isinstance(part, int):
                if not isinstance(node[part], kind):
                    with _gap_kept(node):
                        node[part] = self._new_mapping()
                node = node[part]
            elif isinstance(node, MutableMapping) and isinstance(part, str):
                if not isinstance(node.get(part), kind):
                    with _gap_kept(node):
                        node[part] = self._new_mapping()
                node = node[part]
            else:
                raise TypeError(f"{format_path(path[:position + 1])}: a list takes an index, a mapping a key")
        if not isinstance(node, MutableMapping):  # the last part always gets a mapping
            raise TypeError(f"{format_path(path)} is not a mapping")
        return node

    def append(self, path: KeyPath, item: Any) -> int:
        """Add ``item`` at the end of the list at ``path`` (made if missing); returns its index."""
        sequence = self.get(path)
        if not isinstance(sequence, MutableSequence):
            self.set(path, [item])
            return 0
        with _gap_kept(sequence):
            sequence.append(self._styled(item, None))
        return len(sequence) - 1

    def _remove(self, path: KeyPath) -> None:
        """Remove a mapping key or list item, and any mapping or list that leaves empty (see :meth:`set`)."""
        parent = self.get(path[:-1])
        key = path[-1]
        if isinstance(parent, MutableMapping) and key in parent:
            self._vacated[path] = list(parent).index(key)
        elif not (isinstance(parent, MutableSequence) and isinstance(key, int) and 0 <= key < len(parent)):
            return
        with _gap_kept(parent):
            del parent[key]
        owner = path[:-1]
        if not parent and owner and isinstance(owner[-1], str) and owner[-1] not in _KEPT_WHEN_EMPTY \
                and not self.is_agent_path(owner):
            self._remove(owner)

    def _styled(self, value: Any, old: Any) -> Any:
        """Plain Python values as the file should write them."""
        if isinstance(value, dict) and not isinstance(value, CommentedMap):
            mapping = self._new_mapping()
            for key, item in value.items():
                mapping[key] = self._styled(item, None)
            return mapping
        if isinstance(value, list) and not isinstance(value, CommentedSeq):
            return self._new_sequence([self._styled(item, None) for item in value])
        if self._yaml is None or not isinstance(value, str) or isinstance(value, ScalarString):
            return value
        if "\n" in value:
            return LiteralScalarString(value if value.endswith("\n") else value + "\n")
        if isinstance(old, ScalarString) and not isinstance(old, LiteralScalarString):
            return type(old)(value)
        # The validator reads YAML 1.1 (PyYAML): quote what it would not read back as this string.
        tag = pyyaml.resolver.Resolver().resolve(  # type: ignore[no-untyped-call]  # types-PyYAML leaves it unannotated
            pyyaml.ScalarNode, value, (True, False))
        if tag != _PYYAML_STR:
            return SingleQuotedScalarString(value)
        return value

    def _new_mapping(self) -> MutableMapping[str, Any]:
        return CommentedMap() if self._yaml is not None else {}

    def _new_sequence(self, items: list[Any]) -> MutableSequence[Any]:
        if self._yaml is None:
            return list(items)
        sequence = CommentedSeq(items)
        sequence.fa.set_block_style()
        return sequence

    # ------------------------------------------------------------------ agents

    def agent_path(self, index: int) -> KeyPath:
        """Where agent ``index`` is: ``("agents", index)``, or ``("agent",)`` for a single ``agent``."""
        return ("agent",) if "agent" in self.data and "agents" not in self.data else ("agents", index)

    def is_agent_path(self, path: KeyPath) -> bool:
        """Whether ``path`` is an agent entry."""
        return path == ("agent",) or (len(path) == 2 and path[0] == "agents" and isinstance(path[1], int))

    @property
    def agents(self) -> list[MutableMapping[str, Any]]:
        """The agents as written (an entry that is not a mapping reads as an empty one)."""
        if "agents" not in self.data and "agent" in self.data:
            entries = [self.data["agent"]]
        else:
            listed = self.data.get("agents")
            entries = list(listed) if isinstance(listed, list) else []
        return [entry if isinstance(entry, MutableMapping) else {} for entry in entries]

    def add_agent(self, agent: dict[str, Any], at: int | None = None) -> int:
        """Insert ``agent`` at ``at`` (default: last); returns its index."""
        sequence = self._agent_list()
        index = len(sequence) if at is None else at
        with _gap_kept(sequence):
            sequence.insert(index, self._styled(agent, None))
        return index

    def duplicate_agent(self, index: int, new_id: str) -> int:
        """Copy agent ``index`` (comments included) right after it, under ``new_id``; returns the copy's index."""
        sequence = self._agent_list()
        twin = copy.deepcopy(sequence[index])
        _take_gap(twin)
        if isinstance(twin, MutableMapping):
            if "id" in twin:
                twin["id"] = new_id
            elif isinstance(twin, CommentedMap):
                twin.insert(0, "id", new_id)
            else:
                twin = {"id": new_id, **twin}
        with _gap_kept(sequence):
            sequence.insert(index + 1, twin)
        return index + 1

    def remove_agent(self, index: int) -> int:
        """Remove agent ``index``; returns the index of the agent that takes its place in a list."""
        sequence = self._agent_list()
        with _gap_kept(sequence):
            del sequence[index]
        return max(0, min(index, len(sequence) - 1))

    def move_agent(self, index: int, offset: int) -> int:
        """Move agent ``index`` by ``offset`` places (clamped to the list); returns where it is now."""
        sequence = self._agent_list()
        target = max(0, min(len(sequence) - 1, index + offset))
        if target != index:
            with _gap_kept(sequence):
                sequence.insert(target, sequence.pop(index))
        return target

    def _agent_list(self) -> MutableSequence[Any]:
        """The ``agents`` list, made from a single ``agent`` (in its place) or created when missing."""
        data = self.data
        listed = data.get("agents")
        if isinstance(listed, MutableSequence):
            if isinstance(listed, CommentedSeq):
                listed.fa.set_block_style()
            return listed
        entries = [data["agent"]] if "agent" in data and listed is None else []
        sequence = self._new_sequence(entries)
        position = list(data).index("agent") if "agent" in data else len(data)
        data.pop("agent", None)
        data.pop("agents", None)
        insert_key(data, position, "agents", sequence)
        return sequence


def insert_key(mapping: MutableMapping[str, Any], position: int, key: str, value: Any) -> None:
    """Put ``key`` at ``position`` among the mapping's keys (ruamel's map keeps its comments in place)."""
    if isinstance(mapping, CommentedMap):
        mapping.insert(position, key, value)
        return
    items = [(k, v) for k, v in mapping.items() if k != key]
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


# ---------------------------------------------------------------------- blank lines and comments
#
# ruamel keeps the blank lines and comment lines that follow a node on the last scalar inside it,
# so appending after that scalar (or removing it) would move them. Edits that change what comes
# last in a container take them off first and put them back after whatever is last afterwards.


def _last_scalar_slot(node: Any) -> tuple[Any, Any, int] | None:
    holder = None
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        holder = (node, key, 2 if isinstance(node, CommentedMap) else 0)
        node = node[key]
    return holder


def _take_gap(node: Any) -> str:
    """Detach the lines after ``node``'s last line and return them.

    What stays is the node's own: its end-of-line comment and the indented comment lines right
    under it; the gap starts at the first blank line or the first comment at the left margin.
    """
    holder = _last_scalar_slot(node)
    if holder is None:
        return ""
    container, key, slot = holder
    entry = container.ca.items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if not isinstance(token, CommentToken):
        return ""
    head, _, tail = token.value.partition("\n")
    lines = tail.splitlines(keepends=True)
    own = 0
    while own < len(lines) and lines[own].startswith(" ") and lines[own].strip():
        own += 1
    kept, gap = head + "\n" + "".join(lines[:own]), "".join(lines[own:])
    if not gap:
        return ""
    if kept.strip():
        token.value = kept
    else:
        entry[slot] = None
    return gap


def _put_gap(node: Any, gap: str) -> None:
    holder = _last_scalar_slot(node) if gap else None
    if holder is None:
        return
    container, key, slot = holder
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[slot]
    if isinstance(token, CommentToken):
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + gap
    else:
        entry[slot] = CommentToken("\n" + gap, CommentMark(0), None)


@contextmanager
def _gap_kept(container: Any) -> Iterator[None]:
    gap = _take_gap(container)
    try:
        yield
    finally:
        _put_gap(container, gap)
