"""Parse a YAML or JSON config into plain data plus where each key and value is written.

Values are plain dicts, lists and scalars; locations are kept apart, by key path, so error
messages can say ``file:line:column``. JSON values come from :mod:`json` (exact JSON semantics);
their locations from composing the same text with PyYAML.
"""

from __future__ import annotations

import json
import os
import stat
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


#: The largest config file read (MassGen's own configs are a few KB).
MAX_CONFIG_BYTES = 8 * 1024 * 1024
#: How many values a document may hold once its aliases are expanded (an anchor bomb holds billions).
MAX_EXPANDED_NODES = 100_000


def read_config_text(file: Path) -> str:
    """The text of a config file: a regular file of at most :data:`MAX_CONFIG_BYTES`, in UTF-8.

    Raises :class:`ConfigError` naming the file, at once, for a device (``/dev/zero``), a FIFO,
    a folder, a file too large or one that is not UTF-8; a FIFO is never opened, so nothing blocks.
    """

    def fail(message: str) -> ConfigError:
        return ConfigError([ConfigIssue("error", f"cannot read the file: {message}", file)])

    try:
        info = os.stat(file)
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > MAX_CONFIG_BYTES:
            raise fail(f"it is {info.st_size / 1048576:.1f} MB; configs are limited to {MAX_CONFIG_BYTES >> 20} MB")
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):  # swapped after the check
                raise fail(f"it is {_kind(mode)}, not a regular file")
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise fail(exc.strerror or str(exc)) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise fail(f"it is larger than {MAX_CONFIG_BYTES >> 20} MB, the limit for configs")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("it is not UTF-8 text") from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def check_text_bounds(text: str, file: Path | None = None) -> None:
    """Raise :class:`ConfigError` if ``text`` is over the size limit or its YAML aliases expand too far.

    Only composes (never constructs), so an anchor bomb is refused in milliseconds.
    """
    if len(text) > MAX_CONFIG_BYTES:
        message = f"the text is larger than {MAX_CONFIG_BYTES >> 20} MB, the limit for configs"
        raise ConfigError([ConfigIssue("error", message, file)])
    if "*" not in text:  # no aliases, nothing to expand
        return
    try:
        node = yaml.compose(text.replace("\t", " ") if is_json(file) else text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return  # malformed: the parser names the place
    if node is not None:
        _check_expansion(node, file)


def _check_expansion(root: yaml.Node, file: Path | None) -> None:
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(sizes.get(id(child), 0) for child in children)
            sizes[key] = total
            if total > MAX_EXPANDED_NODES:
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
                message = (f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values "
                           "(an alias bomb?); write the values out or use fewer aliases")
                raise ConfigError([ConfigIssue("error", message, file, line, column)])
            continue
        if key in sizes or key in on_path:  # counted already, or an alias that contains itself
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def is_json(file: Path | None) -> bool:
    """Whether a file is read as JSON (by its suffix)."""
    return file is not None and file.suffix.lower() == ".json"


def parse(text: str, file: Path | None = None) -> Document:
    """Parse ``text`` (JSON when ``file`` ends in ``.json``, else YAML); raise :class:`ConfigError` if malformed."""
    try:
        check_text_bounds(text, file)
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
