"""File operations confined to one folder, without following symlinks (no check-then-use race).

Every path is relative to the folder's root and is opened component by component from the root's
file descriptor with ``O_NOFOLLOW``: a symlink anywhere on the way (or as the target) is refused,
so a link swapped in between a check and a use cannot lead outside. ``..``, absolute paths, empty
names and NUL bytes are refused before anything is opened.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
#: O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not a regular file).
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
FILE_MODE = 0o644
_DRIVE = re.compile(r"[A-Za-z]:(/|$)")


class PathRefused(Exception):
    """A path the workspace does not allow (the message says why, naming the path)."""


def parts_of(path: str) -> tuple[str, ...]:
    """The components of a relative ``path`` (``""`` and ``.`` are the root), or :class:`PathRefused`."""
    if not isinstance(path, str):
        raise PathRefused(f"path must be a string, got {type(path).__name__}")
    if "\0" in path:
        raise PathRefused(f"{path!r}: a path may not contain a NUL byte")
    normal = path.replace("\\", "/")
    if normal.startswith("/") or _DRIVE.match(normal):
        raise PathRefused(f"{path!r}: absolute paths are not allowed; use a path relative to the workspace")
    parts = tuple(part for part in normal.split("/") if part not in ("", "."))
    if ".." in parts:
        raise PathRefused(f"{path!r}: '..' is not allowed; paths stay inside the workspace")
    return parts


def _refusal(path: str, exc: OSError) -> PathRefused:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK) or exc.errno is None:
        return PathRefused(f"{path!r}: a symlink or non-folder on the way; symlinks are not followed")
    if exc.errno == errno.ENOENT:
        return PathRefused(f"{path!r}: no such file or folder")
    if exc.errno == errno.EISDIR:
        return PathRefused(f"{path!r}: is a folder")
    return PathRefused(f"{path!r}: {exc.strerror or exc}")


class Folder:
    """A root folder and the confined operations on it."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = os.fspath(root)

    @contextmanager
    def _dir(self, parts: tuple[str, ...], *, create: bool = False, shown: str = "") -> Iterator[int]:
        """A descriptor of the folder ``parts`` under the root (made if ``create``), never through a symlink."""
        fd = os.open(self.root, _DIR_FLAGS)
        try:
            for part in parts:
                try:
                    next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(part, 0o755, dir_fd=fd)
                    next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = next_fd
            yield fd
        except OSError as exc:
            raise _refusal(shown or "/".join(parts), exc) from exc
        finally:
            os.close(fd)

    def read(self, path: str, limit: int) -> bytes:
        """The bytes of file ``path`` (at most ``limit``; a longer file is refused)."""
        parts = parts_of(path)
        if not parts:
            raise PathRefused(f"{path!r}: is a folder")
        with self._dir(parts[:-1], shown=path) as folder:
            try:
                fd = os.open(parts[-1], _READ_FLAGS, dir_fd=folder)
            except OSError as exc:
                raise _refusal(path, exc) from exc
            with os.fdopen(fd, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    raise PathRefused(f"{path!r}: not a regular file")
                data = file.read(limit + 1)
        if len(data) > limit:
            raise PathRefused(f"{path!r}: larger than the read limit of {limit} bytes")
        return data

    def write(self, path: str, data: bytes) -> None:
        """Write file ``path`` whole (folders made as needed): a temporary file, then a rename."""
        parts = parts_of(path)
        if not parts:
            raise PathRefused(f"{path!r}: is a folder")
        with self._dir(parts[:-1], create=True, shown=path) as folder:
            name, tmp = parts[-1], f".{parts[-1]}.{os.getpid()}.tmp"
            try:
                existing = os.stat(name, dir_fd=folder, follow_symlinks=False)
                if stat.S_ISLNK(existing.st_mode):
                    raise PathRefused(f"{path!r}: is a symlink; symlinks are not followed")
                if not stat.S_ISREG(existing.st_mode):
                    raise PathRefused(f"{path!r}: exists and is not a regular file")
            except FileNotFoundError:
                pass
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE, dir_fd=folder)
                with os.fdopen(fd, "wb") as file:
                    file.write(data)
                os.rename(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError as exc:
                try:
                    os.unlink(tmp, dir_fd=folder)
                except OSError:
                    pass
                raise _refusal(path, exc) from exc

    def delete(self, path: str) -> str:
        """Delete file (or empty folder) ``path``; returns ``file`` or ``folder``."""
        parts = parts_of(path)
        if not parts:
            raise PathRefused(f"{path!r}: the workspace itself cannot be deleted")
        with self._dir(parts[:-1], shown=path) as folder:
            try:
                info = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    os.rmdir(parts[-1], dir_fd=folder)
                    return "folder"
                os.unlink(parts[-1], dir_fd=folder)  # a symlink itself is removed, never its target
                return "file"
            except OSError as exc:
                if exc.errno == errno.ENOTEMPTY:
                    raise PathRefused(f"{path!r}: the folder is not empty") from exc
                raise _refusal(path, exc) from exc

    def move(self, source: str, destination: str) -> None:
        """Rename ``source`` to ``destination`` (folders made as needed; an existing destination is refused)."""
        src, dst = parts_of(source), parts_of(destination)
        if not src or not dst:
            raise PathRefused("the workspace itself cannot be moved or replaced")
        with self._dir(src[:-1], shown=source) as from_fd, \
                self._dir(dst[:-1], create=True, shown=destination) as to_fd:
            try:
                os.stat(dst[-1], dir_fd=to_fd, follow_symlinks=False)
                raise PathRefused(f"{destination!r}: already exists")
            except FileNotFoundError:
                pass
            try:
                os.stat(src[-1], dir_fd=from_fd, follow_symlinks=False)
                os.rename(src[-1], dst[-1], src_dir_fd=from_fd, dst_dir_fd=to_fd)
            except OSError as exc:
                raise _refusal(source, exc) from exc

    def entries(self, path: str) -> list[tuple[str, str, int]]:
        """``(name, kind, size)`` of folder ``path``, sorted; kind is ``file``, ``folder`` or ``symlink``."""
        parts = parts_of(path)
        with self._dir(parts, shown=path or ".") as folder:
            found = []
            with os.scandir(folder) as listing:
                for entry in listing:
                    info = entry.stat(follow_symlinks=False)
                    kind = "folder" if stat.S_ISDIR(info.st_mode) else \
                        "symlink" if stat.S_ISLNK(info.st_mode) else "file"
                    found.append((entry.name, kind, info.st_size if kind == "file" else 0))
        return sorted(found)

    def files(self, path: str = "") -> Iterator[tuple[str, os.stat_result]]:
        """Every regular file under ``path`` (relative to the root, ``/``-separated) with its stat; symlinks skipped."""
        parts = parts_of(path)
        prefix = "/".join(parts)
        with self._dir(parts, shown=path or ".") as top:
            for folder, dirs, names, fd in os.fwalk(".", dir_fd=top):
                dirs.sort()
                base = os.path.normpath(folder).replace(os.sep, "/")
                for name in sorted(names):
                    try:
                        info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    except OSError:
                        continue
                    if stat.S_ISREG(info.st_mode):
                        rel = name if base == "." else f"{base}/{name}"
                        yield (f"{prefix}/{rel}" if prefix else rel), info

    def size(self) -> int:
        """The total size of the regular files in the folder."""
        return sum(info.st_size for _, info in self.files())

    def exists(self, path: str) -> bool:
        """Whether ``path`` names something (not through a symlink)."""
        parts = parts_of(path)
        if not parts:
            return True
        try:
            with self._dir(parts[:-1], shown=path) as folder:
                os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
                return True
        except (PathRefused, OSError):
            return False
