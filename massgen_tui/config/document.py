"""Parse a YAML or JSON config into plain data plus where each key and value is written.

Values are plain dicts, lists and scalars; locations are kept apart, by key path, so error
messages can say ``file:line:column``. JSON values come from :mod:`json` (exact JSON semantics);
their locations from composing the same text with PyYAML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from massgen_tui.config.keypath import KeyPath, format_path
from massgen_tui.errors import ConfigError, ConfigIssue


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(slots=True)
class Document:
    """A parsed config: its data, where things are written, and parse-time warnings."""

    data: Any
    file: Path | None = None
    keys: dict[KeyPath, Location] = field(default_factory=dict)
    values: dict[KeyPath, Location] = field(default_factory=dict)
    warnings: list[ConfigIssue] = field(default_factory=list)

    def key_location(self, path: KeyPath) -> Location | None:
        """Where the key of ``path`` is written (its value's start for list items and the root)."""
        return self.keys.get(path) or self.values.get(path)

    def value_location(self, path: KeyPath) -> Location | None:
        """Where the value at ``path`` starts."""
        return self.values.get(path) or self.keys.get(path)


def is_json(file: Path | None) -> bool:
    """Whether a file is read as JSON (by its suffix)."""
    return file is not None and file.suffix.lower() == ".json"


def parse(text: str, file: Path | None = None) -> Document:
    """Parse ``text`` (JSON when ``file`` ends in ``.json``, else YAML); raise :class:`ConfigError` if malformed."""
    try:
        return _parse_json(text, file) if is_json(file) else _parse_yaml(text, file)
    except RecursionError:
        raise ConfigError([ConfigIssue("error", "the document is nested too deeply", file)]) from None


def _parse_yaml(text: str, file: Path | None) -> Document:
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise ConfigError([_yaml_issue(exc, file)]) from None
    except yaml.reader.ReaderError as exc:  # a control character, which YAML forbids
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"invalid YAML: control character #x{exc.character:04x} is not allowed"
        raise ConfigError([ConfigIssue("error", message, file, line, column)]) from None
    document = Document(data, file)
    if node is not None:
        _record(node, (), document, frozenset())
    return document


def _parse_json(text: str, file: Path | None) -> Document:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError([ConfigIssue("error", f"invalid JSON: {exc.msg}", file, exc.lineno, exc.colno)]) from None
    document = Document(data, file)
    try:
        # JSON forbids raw tabs inside strings, so this changes only whitespace YAML rejects.
        node = yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return document  # valid JSON that PyYAML cannot follow: values without locations
    if node is not None:
        _record(node, (), document, frozenset())
    return document


def _yaml_issue(exc: yaml.MarkedYAMLError, file: Path | None) -> ConfigIssue:
    mark = exc.problem_mark or exc.context_mark
    problem, context = exc.problem or "", exc.context or ""
    if problem.startswith("but "):  # "expected a single document in the stream, but found another document"
        message = f"{context}, {problem}"
    elif problem and context:
        started = f" that started at line {exc.context_mark.line + 1}" if exc.context_mark else ""
        message = f"{problem} ({context}{started})"
    else:
        message = problem or context
    message = f"invalid YAML: {message}"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return ConfigIssue("error", message, file, line, column)


def _record(node: yaml.Node, path: KeyPath, document: Document, seen: frozenset[int]) -> None:
    document.values.setdefault(path, _location(node))
    if id(node) in seen:  # an alias that contains itself
        return
    inner = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        written: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in written and _inside(key_node, node):
                document.warnings.append(_duplicate(key, child, key_node, document.file))
            if _inside(key_node, node):  # merged (<<) keys sit elsewhere
                written.add(key)
            document.keys[child] = _location(key_node)
            document.values[child] = _location(value_node)
            _record(value_node, child, document, inner)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), document, inner)


def _duplicate(key: str, path: KeyPath, key_node: yaml.Node, file: Path | None) -> ConfigIssue:
    where = _location(key_node)
    return ConfigIssue(
        "warning", f"duplicate key '{key}'; the last one is used", file, where.line, where.column, format_path(path)
    )


def _inside(inner: yaml.Node, outer: yaml.Node) -> bool:
    return outer.start_mark.index <= inner.start_mark.index < outer.end_mark.index


def _location(node: yaml.Node) -> Location:
    return Location(node.start_mark.line + 1, node.start_mark.column + 1)
