"""The built-in file tools (``read_file``, ``write_file``, ``edit_file``, ``list_directory``, ``glob``,
``grep``, ``delete_file``, ``move_file``), each confined to one agent's :class:`~massgen_tui.workspace.scope.Scope`.

Every failure, a refused path among them, is a tool error naming the path; nothing raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pathspec

from massgen_tui.backends.base import ToolSpec
from massgen_tui.tools.external import ToolOutcome
from massgen_tui.workspace.fs import PathRefused
from massgen_tui.workspace.scope import CONTEXT, PEERS, Mount, Scope

#: Bytes one write may put in a file, and bytes a workspace may hold (MassGen sets no limit; a model can loop).
MAX_WRITE_BYTES = 16 * 1024 * 1024
MAX_WORKSPACE_BYTES = 512 * 1024 * 1024
#: Bytes ``read_file`` returns at most; matches ``grep`` returns at most.
MAX_READ_BYTES = 256 * 1024
MAX_MATCHES = 200
MAX_LISTED = 500


@dataclass(slots=True, frozen=True)
class Limits:
    """Size limits of the file tools."""

    write_bytes: int = MAX_WRITE_BYTES
    workspace_bytes: int = MAX_WORKSPACE_BYTES
    read_bytes: int = MAX_READ_BYTES


def _spec(name: str, description: str, **properties: dict[str, Any]) -> ToolSpec:
    required = [key for key, value in properties.items() if not value.pop("optional", False)]
    return ToolSpec(name=name, description=description,
                    parameters={"type": "object", "properties": properties, "required": required,
                                "additionalProperties": False})


_PATH = {"type": "string", "description": "a path relative to your workspace (.peers/<label>/... and "
                                          ".context/<name>/... for the others' answer files and context paths)"}

FILE_TOOL_SPECS = (
    _spec("read_file", "Read a text file.", path=dict(_PATH)),
    _spec("write_file", "Create or replace a file with the given content.", path=dict(_PATH),
          content={"type": "string"}),
    _spec("edit_file", "Replace an exact piece of text in a file (it must occur exactly once).",
          path=dict(_PATH), old_text={"type": "string"}, new_text={"type": "string"}),
    _spec("list_directory", "List a folder (use '.' for the workspace).", path=dict(_PATH)),
    _spec("glob", "Find files under a folder whose paths match a pattern such as '**/*.py'.",
          path=dict(_PATH), pattern={"type": "string"}),
    _spec("grep", "Search files under a folder (or one file) for a regular expression.",
          path=dict(_PATH), pattern={"type": "string"}),
    _spec("delete_file", "Delete a file or an empty folder.", path=dict(_PATH)),
    _spec("move_file", "Move or rename a file or folder inside your workspace.",
          source=dict(_PATH), destination=dict(_PATH)),
)
FILE_TOOL_NAMES = frozenset(spec.name for spec in FILE_TOOL_SPECS)


class FileTools:
    """Runs file tool calls for one scope."""

    def __init__(self, scope: Scope, limits: Limits = Limits()) -> None:
        self.scope = scope
        self.limits = limits
        self._run: dict[str, Callable[[dict[str, Any]], str]] = {
            "read_file": self._read, "write_file": self._write, "edit_file": self._edit,
            "list_directory": self._list, "glob": self._glob, "grep": self._grep,
            "delete_file": self._delete, "move_file": self._move,
        }

    def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        """Run tool ``name``; a refused path or a bad argument is an error outcome."""
        try:
            return ToolOutcome(self._run[name](arguments))
        except PathRefused as exc:
            return ToolOutcome(f"{name} refused: {exc}. Nothing was changed.", is_error=True)
        except _BadArguments as exc:
            return ToolOutcome(f"Invalid arguments for {name}: {exc}. Nothing was changed.", is_error=True)
        except OSError as exc:
            return ToolOutcome(f"{name} failed: {exc.strerror or exc}.", is_error=True)

    # ------------------------------------------------------------ tools

    def _read(self, args: dict[str, Any]) -> str:
        mount, rel = self._file(args, "path")
        data = mount.read(rel, self.limits.read_bytes)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return f"{_shown(mount, rel)} is a binary file of {len(data)} bytes."

    def _write(self, args: dict[str, Any]) -> str:
        mount, rel = self._file(args, "path")
        content = _text(args, "content")
        data = self._checked_size(mount, rel, content)
        mount.write(rel, data)
        return f"Wrote {len(data)} bytes to {_shown(mount, rel)}" + (" (held for approval)." if mount.pending else ".")

    def _edit(self, args: dict[str, Any]) -> str:
        mount, rel = self._file(args, "path")
        old, new = _text(args, "old_text"), _text(args, "new_text")
        if not old:
            raise _BadArguments("old_text is empty")
        mount.check_writable(rel)
        text = mount.read(rel, self.limits.write_bytes).decode("utf-8", "surrogateescape")
        count = text.count(old)
        if count != 1:
            raise _BadArguments(f"old_text occurs {count} times in {_shown(mount, rel)}; it must occur exactly once")
        data = self._checked_size(mount, rel, text.replace(old, new))
        mount.write(rel, data)
        return f"Edited {_shown(mount, rel)}."

    def _list(self, args: dict[str, Any]) -> str:
        mount, rel, table = self.scope.resolve(_text(args, "path"))
        if mount is None:
            return "\n".join(f"{name}/ (read-only)" if not m.writable else f"{name}/"
                             for name, m in sorted((table or {}).items())) or "(empty)"
        if mount is self.scope.own and not rel:
            extra = [f"{PEERS}/ (the other answers' files, read-only)"] if self.scope.peers else []
            extra += [f"{CONTEXT}/ (context paths)"] if self.scope.context else []
        else:
            extra = []
        if mount.pending is not None or mount.only is not None:
            names: dict[str, str] = {}
            prefix = f"{rel}/" if rel else ""
            for path, size in mount.files(rel):
                head, _, rest = path[len(prefix):].partition("/")
                names[head] = f"{head}/" if rest else f"{head} ({size} bytes)"
            lines = [names[name] for name in sorted(names)]
        else:
            lines = [f"{name}/" if kind == "folder" else f"{name} -> (symlink, not followed)" if kind == "symlink"
                     else f"{name} ({size} bytes)" for name, kind, size in mount.folder.entries(rel)]
        lines = lines[:MAX_LISTED] + ([f"... {len(lines) - MAX_LISTED} more"] if len(lines) > MAX_LISTED else [])
        return "\n".join(lines + extra) or "(empty folder)"

    def _glob(self, args: dict[str, Any]) -> str:
        pattern = _text(args, "pattern")
        mount, rel = self._folder(args)
        try:
            spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception as exc:  # noqa: BLE001 -- pathspec raises several kinds for a bad pattern
            raise _BadArguments(f"bad pattern {pattern!r}: {exc}") from exc
        prefix = f"{rel}/" if rel else ""
        found = [path for path, _ in mount.files(rel) if spec.match_file(path[len(prefix):])]
        shown = [_shown(mount, path) for path in found[:MAX_LISTED]]
        more = [f"... {len(found) - MAX_LISTED} more"] if len(found) > MAX_LISTED else []
        return "\n".join(shown + more) or "no files match"

    def _grep(self, args: dict[str, Any]) -> str:
        try:
            regex = re.compile(_text(args, "pattern"))
        except re.error as exc:
            raise _BadArguments(f"bad regular expression: {exc}") from exc
        mount, rel, table = self.scope.resolve(_text(args, "path"))
        if mount is None:
            raise PathRefused(f"{args['path']!r}: name a folder inside it")
        paths = [rel] if rel and _is_file(mount, rel) else [path for path, _ in mount.files(rel)]
        hits: list[str] = []
        for path in paths:
            try:
                text = mount.read(path, self.limits.write_bytes).decode("utf-8")
            except (UnicodeDecodeError, PathRefused):
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                if regex.search(line):
                    hits.append(f"{_shown(mount, path)}:{number}: {line[:300]}")
                    if len(hits) >= MAX_MATCHES:
                        return "\n".join(hits + [f"(stopped at {MAX_MATCHES} matches)"])
        return "\n".join(hits) or "no matches"

    def _delete(self, args: dict[str, Any]) -> str:
        mount, rel = self._file(args, "path")
        kind = mount.delete(rel)
        return f"Deleted {kind} {_shown(mount, rel)}" + (" (held for approval)." if mount.pending else ".")

    def _move(self, args: dict[str, Any]) -> str:
        source, src = self._file(args, "source")
        target, dst = self._file(args, "destination")
        if source is not target:
            raise PathRefused("move_file moves only within one folder (your workspace or one context path)")
        source.check_writable(src)
        source.check_writable(dst)
        if source.pending is not None:
            data = source.read(src, self.limits.write_bytes)
            source.write(dst, data)
            source.delete(src)
        else:
            source.folder.move(src, dst)
        return f"Moved {_shown(source, src)} to {_shown(target, dst)}."

    # ---------------------------------------------------------- helpers

    def _file(self, args: dict[str, Any], key: str) -> tuple[Mount, str]:
        mount, rel, _ = self.scope.resolve(_text(args, key))
        if mount is None or not rel:
            raise PathRefused(f"{args[key]!r}: a file path is needed, not a folder of mounts")
        return mount, rel

    def _folder(self, args: dict[str, Any]) -> tuple[Mount, str]:
        mount, rel, _ = self.scope.resolve(_text(args, "path"))
        if mount is None:
            raise PathRefused(f"{args['path']!r}: name a folder inside it")
        return mount, rel

    def _checked_size(self, mount: Mount, rel: str, content: str) -> bytes:
        """``content`` as UTF-8 bytes, if it fits the write limit and the workspace limit."""
        limit = self.limits.write_bytes
        if len(content) > limit:  # before encoding: a huge string is refused without copying it
            raise PathRefused(f"{_shown(mount, rel)}: a write of {len(content)} characters is over the "
                              f"limit of {limit} bytes per write")
        data = content.encode("utf-8", "surrogateescape")
        if len(data) > limit:
            raise PathRefused(f"{_shown(mount, rel)}: a write of {len(data)} bytes is over the limit of "
                              f"{limit} bytes per write")
        if mount.pending is None:
            used = sum(size for path, size in mount.files() if path != rel)
            if used + len(data) > self.limits.workspace_bytes:
                raise PathRefused(f"{_shown(mount, rel)}: the workspace would hold {used + len(data)} bytes, over "
                                  f"its limit of {self.limits.workspace_bytes}")
        return data


class _BadArguments(Exception):
    """A tool argument that is missing or of the wrong type."""


def _text(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    if not isinstance(value, str):
        raise _BadArguments(f"'{key}' must be a string")
    return value


def _shown(mount: Mount, rel: str) -> str:
    return f"{mount.shown}/{rel}" if mount.shown else rel


def _is_file(mount: Mount, rel: str) -> bool:
    try:
        mount.read(rel, 0)
    except PathRefused as exc:
        return "larger than" in str(exc)
    return True
