"""Workspace snapshots: a content-hash store of files, and trees of hard links to it.

A snapshot is a manifest (relative path -> SHA-256 of the content). Each distinct content is
stored once, read-only, under ``objects/``; a snapshot's tree (in the session log, in a peer's
temporary workspace) is hard links to those objects, so a file that did not change costs no
new disk space and is not even read again (a file whose size, times and inode are unchanged
keeps its hash). Where a hard link is impossible (another file system) the file is copied.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from massgen_tui.workspace.fs import Folder

OBJECT_MODE = 0o400
_CHUNK = 1 << 20

Manifest = dict[str, str]
"""Relative path -> content hash of every file of a snapshot."""


@dataclass(slots=True)
class SnapshotStats:
    """What one snapshot cost: files and bytes in it, and the bytes and files newly stored."""

    files: int = 0
    bytes: int = 0
    new_files: int = 0
    new_bytes: int = 0


@dataclass(slots=True)
class SnapshotStore:
    """Objects under ``root/objects``; remembers file stats per source so unchanged files are not re-read."""

    root: Path
    _known: dict[tuple[str, str], tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        (self.root / "objects").mkdir(mode=0o700, exist_ok=True)

    def object_path(self, digest: str) -> Path:
        """Where the content ``digest`` is stored."""
        return self.root / "objects" / digest[:2] / digest

    def snapshot(self, source: Folder) -> tuple[Manifest, SnapshotStats]:
        """Store every regular file of ``source`` (symlinks are skipped) and return its manifest."""
        manifest: Manifest = {}
        stats = SnapshotStats()
        for rel, info in source.files():
            key = (source.root, rel)
            signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            known = self._known.get(key)
            if known is not None and known[0] == signature and self.object_path(known[1]).exists():
                digest = known[1]
            else:
                digest, added = self._store(source, rel)
                self._known[key] = (signature, digest)
                if added:
                    stats.new_files += 1
                    stats.new_bytes += info.st_size
            manifest[rel] = digest
            stats.files += 1
            stats.bytes += info.st_size
        return manifest, stats

    def _store(self, source: Folder, rel: str) -> tuple[str, bool]:
        """Hash ``rel`` of ``source`` while copying it in; returns its digest and whether it was new."""
        tmp = self.root / "objects" / f".incoming.{os.getpid()}.{id(rel)}"
        digest = hashlib.sha256()
        with open(tmp, "wb") as out:
            for chunk in _chunks(source, rel):
                digest.update(chunk)
                out.write(chunk)
        name = digest.hexdigest()
        target = self.object_path(name)
        if target.exists():
            tmp.unlink()
            return name, False
        target.parent.mkdir(exist_ok=True)
        os.chmod(tmp, OBJECT_MODE)
        os.replace(tmp, target)
        return name, True

    def materialize(self, manifest: Manifest, destination: Path, *, link: bool = True) -> None:
        """Make ``destination`` hold exactly the files of ``manifest``: hard links (``link``) or writable copies.

        Links already there to the right content stay (refreshing a peer's copy touches only what changed).
        """
        kept = self._prune(manifest, destination) if link and destination.is_dir() else set()
        if not link and destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True, exist_ok=True)
        for rel, digest in sorted(manifest.items()):
            if rel in kept:
                continue
            target = destination / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            source = self.object_path(digest)
            if link:
                try:
                    os.link(source, target)
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                        raise
            shutil.copyfile(source, target)
            os.chmod(target, OBJECT_MODE if link else 0o644)

    def _prune(self, manifest: Manifest, destination: Path) -> set[str]:
        """Remove what ``destination`` holds beyond ``manifest``; returns the paths already linked right."""
        kept: set[str] = set()
        for folder, dirs, names in os.walk(destination, topdown=False):
            for name in names:
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, destination).replace(os.sep, "/")
                digest = manifest.get(rel)
                if digest is not None and os.lstat(path).st_ino == self.object_path(digest).stat().st_ino:
                    kept.add(rel)
                else:
                    os.unlink(path)
            for name in dirs:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    os.unlink(path)
                elif not os.listdir(path):
                    os.rmdir(path)
        return kept

    def disk_usage(self) -> int:
        """Bytes stored under ``objects/`` (each content once)."""
        return sum(p.stat().st_size for p in (self.root / "objects").rglob("*") if p.is_file())


def _chunks(source: Folder, rel: str) -> Iterator[bytes]:
    """The bytes of ``rel`` in ``source`` in chunks, opened without following symlinks."""
    parts = rel.split("/")
    fd = os.open(source.root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in parts[:-1]:
            next_fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        file_fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
    with os.fdopen(file_fd, "rb") as file:
        while chunk := file.read(_CHUNK):
            yield chunk
