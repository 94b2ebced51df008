"""Agents' workspace snapshots in a session log: which exist, their files, a file's text, diffs.

The log keeps each accepted answer's workspace at ``turn_N/<agent>/answer_K/workspace/`` (``<agent>``
the file-safe agent id, ``K`` the answer's version) and the winner's final workspace at
``turn_N/final_workspace/``. Only versions the caller has seen are listed (a replay shows those
submitted up to its position), and only those whose folder exists. Files only; a path is never
followed out of its version's folder.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from massgen_tui.logs.writer import _safe

#: A file bigger than this is shown cut to its first bytes.
READ_LIMIT = 256 * 1024
#: Files listed per version at most (a workspace of generated files stays browsable).
MAX_FILES = 5000
_SNIFF = 8192

FINAL = "final"


@dataclass(frozen=True, slots=True)
class Version:
    """One snapshot: an agent's answer ``version`` in ``turn``, or (``version`` None) the turn's final workspace."""

    turn: int
    agent_id: str
    version: int | None
    root: Path

    @property
    def name(self) -> str:
        """``answer_2`` or ``final``, as in the log folder."""
        return FINAL if self.version is None else f"answer_{self.version}"


@dataclass(frozen=True, slots=True)
class FileText:
    """A file read for viewing: its ``text`` (None for a binary file), whether it was cut, its size."""

    text: str | None
    size: int
    truncated: bool = False

    @property
    def binary(self) -> bool:
        return self.text is None


def answer_root(folder: Path, turn: int, agent_id: str, version: int) -> Path:
    """Where answer ``version`` of ``agent_id`` in ``turn`` keeps its workspace."""
    return folder / f"turn_{turn}" / _safe(agent_id) / f"answer_{version}" / "workspace"


def final_root(folder: Path, turn: int) -> Path:
    """Where ``turn``'s final workspace is."""
    return folder / f"turn_{turn}" / "final_workspace"


def versions(folder: Path, answers: Iterable[tuple[int, str, int]],
             finals: Iterable[tuple[int, str]] = ()) -> list[Version]:
    """The snapshots that exist for ``answers`` ((turn, agent id, version) seen so far) and ``finals``
    ((turn, presenting agent id) of final answers given), in the order given, finals after each turn's answers."""
    found = [Version(turn, agent, version, answer_root(folder, turn, agent, version))
             for turn, agent, version in answers]
    found += [Version(turn, agent, None, final_root(folder, turn)) for turn, agent in finals]
    unique = {(v.turn, v.agent_id, v.version): v for v in found if v.root.is_dir()}
    return sorted(unique.values(), key=lambda v: (v.turn, v.version is None))


def any_workspace(folder: Path) -> bool:
    """Whether the session log holds any workspace snapshot at all (at any position)."""
    patterns = ("turn_*/*/answer_*/workspace", "turn_*/final_workspace")
    return any(path.is_dir() for pattern in patterns for path in folder.glob(pattern))


def files(version: Version, limit: int = MAX_FILES) -> list[str]:
    """The version's files as sorted POSIX paths relative to its folder (symlinks not followed)."""
    found: list[str] = []
    for directory, subdirs, names in os.walk(version.root):
        subdirs.sort()
        base = Path(directory)
        for name in names:
            path = base / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(version.root).as_posix())
                if len(found) >= limit:
                    return sorted(found)
    return sorted(found)


def resolve(version: Version, relative: str) -> Path:
    """The file ``relative`` inside ``version``; ValueError if the path leaves its folder."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\0" in relative:
        raise ValueError(f"{relative!r} is not a path inside the workspace")
    path = version.root.joinpath(*pure.parts)
    root = version.root.resolve()
    if not path.resolve().is_relative_to(root):
        raise ValueError(f"{relative!r} leads out of the workspace")
    return path


def read(version: Version, relative: str, limit: int = READ_LIMIT) -> FileText:
    """The text of a file (cut to ``limit`` bytes); ``text`` None if it looks binary (a NUL byte, or not UTF-8)."""
    path = resolve(version, relative)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        data = handle.read(limit)
    if b"\0" in data[:_SNIFF]:
        return FileText(None, size)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if size <= limit or exc.start < len(data) - 3:  # not just a character cut at the limit
            return FileText(None, size)
        text = data[:exc.start].decode("utf-8")
    return FileText(text, size, truncated=size > limit)


def label(version: Version, names: dict[str, str] | None = None) -> str:
    """``alpha answer_2 (turn 1)``, ``alpha final (turn 1)``: how a version is named in diffs and titles."""
    agent = (names or {}).get(version.agent_id, version.agent_id)
    return f"{agent} {version.name} (turn {version.turn})"


def diff(old: Version, old_path: str, new: Version, new_path: str, names: dict[str, str] | None = None,
         limit: int = READ_LIMIT) -> list[str]:
    """A unified diff of ``old_path`` in ``old`` against ``new_path`` in ``new`` (a missing file is empty).

    Binary files give one line saying they differ (or not)."""
    texts = []
    for version, relative in ((old, old_path), (new, new_path)):
        try:
            texts.append(read(version, relative, limit))
        except FileNotFoundError:
            texts.append(FileText("", 0))
    a, b = texts
    from_name, to_name = f"{label(old, names)}/{old_path}", f"{label(new, names)}/{new_path}"
    if a.binary or b.binary:
        same = resolve(old, old_path).read_bytes() == resolve(new, new_path).read_bytes() \
            if a.binary and b.binary else False
        return [f"binary files {from_name} and {to_name} {'are the same' if same else 'differ'}"]
    lines = list(difflib.unified_diff((a.text or "").splitlines(), (b.text or "").splitlines(),
                                      fromfile=from_name, tofile=to_name, lineterm=""))
    return lines or [f"no difference between {from_name} and {to_name}"]


def following(answer_log: list[tuple[int, str, int]], final_log: list[tuple[int, str]], agent_id: str,
              turn: int, answers_before: int) -> tuple[int, int | None] | None:
    """(turn, version) of the snapshot that followed a file edit by ``agent_id`` (made when the session had
    ``answers_before`` answers): its next answer in that turn, else (version None) the turn's final
    workspace if it presented it; None while neither exists yet."""
    for answer_turn, agent, version in answer_log[answers_before:]:
        if answer_turn == turn and agent == agent_id:
            return turn, version
    if (turn, agent_id) in final_log:
        return turn, None
    return None
