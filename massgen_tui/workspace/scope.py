"""What one agent's file tools can reach: its workspace, its peers' answer snapshots and the context paths.

Tool paths are relative to the agent's workspace. Two reserved top-level names are not in it:
``.peers/<label>/`` holds the latest snapshot of the answer of ``<label>`` (read-only) and
``.context/<name>/`` a context path of the user's (read-only; writable for the final presentation
where the permission says ``write``, and then only collected, see :class:`PendingWrites`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from massgen_tui.workspace.fs import Folder, PathRefused, parts_of

PEERS, CONTEXT = ".peers", ".context"


@dataclass(slots=True)
class PendingWrites:
    """Writes to a user's folder held back until approved: relative path -> new bytes (``None``: deleted)."""

    changes: dict[str, bytes | None] = field(default_factory=dict)


@dataclass(slots=True)
class Mount:
    """A folder as the tools see it; ``pending`` collects its writes instead of making them."""

    folder: Folder
    shown: str
    writable: bool = False
    protected: tuple[str, ...] = ()
    pending: PendingWrites | None = None
    #: A context path with ``permission: write``: writable (with held-back writes) for the final presentation.
    presenter_may_write: bool = False
    #: A context path that is one file: the mount is its folder, and only this name in it is reachable.
    only: str | None = None

    def check_writable(self, rel: str) -> None:
        """Refuse a write to ``rel`` unless this mount allows it there."""
        if not self.writable:
            where = f"{self.shown}/{rel}" if self.shown else rel
            raise PathRefused(f"{where}: {self.shown or 'this folder'} is read-only")
        parts = parts_of(rel)
        for protected in self.protected:
            guard = parts_of(protected)
            if parts[:len(guard)] == guard:
                raise PathRefused(f"{self.shown}/{rel} is protected (protected_paths)")

    def read(self, rel: str, limit: int) -> bytes:
        """The bytes of ``rel`` (a pending write first)."""
        if self.pending is not None and rel in self.pending.changes:
            data = self.pending.changes[rel]
            if data is None:
                raise PathRefused(f"{rel!r}: no such file or folder")
            return data
        return self.folder.read(rel, limit)

    def write(self, rel: str, data: bytes) -> None:
        """Write ``rel`` whole (or hold it back)."""
        self.check_writable(rel)
        if self.pending is not None:
            self.pending.changes["/".join(parts_of(rel))] = data
        else:
            self.folder.write(rel, data)

    def delete(self, rel: str) -> str:
        """Delete ``rel`` (or hold the deletion back)."""
        self.check_writable(rel)
        if self.pending is not None:
            key = "/".join(parts_of(rel))
            if not self.folder.exists(key) and self.pending.changes.get(key) is None:
                raise PathRefused(f"{rel!r}: no such file")
            self.pending.changes[key] = None
            return "file"
        return self.folder.delete(rel)

    def files(self, rel: str = "") -> list[tuple[str, int]]:
        """Every file under ``rel`` with its size (pending writes included)."""
        if self.only is not None:
            found = {path: info.st_size for path, info in self.folder.files() if path == self.only}
        else:
            found = {path: info.st_size for path, info in self.folder.files(rel)} if self.folder.exists(rel) else {}
        if self.pending is not None:
            prefix = "/".join(parts_of(rel))
            for path, data in self.pending.changes.items():
                if prefix and not path.startswith(prefix + "/"):
                    continue
                if data is None:
                    found.pop(path, None)
                else:
                    found[path] = len(data)
        return sorted(found.items())


@dataclass(slots=True)
class Scope:
    """The mounts of one agent: its own workspace (or none), peers by label, context paths by name."""

    own: Mount | None
    peers: dict[str, Mount] = field(default_factory=dict)
    context: dict[str, Mount] = field(default_factory=dict)

    def resolve(self, path: str) -> tuple[Mount | None, str, dict[str, Mount] | None]:
        """``(mount, path inside it, None)``; for ``.peers`` or ``.context`` themselves ``(None, "", table)``."""
        parts = parts_of(path)
        if parts and parts[0] in (PEERS, CONTEXT):
            table = self.peers if parts[0] == PEERS else self.context
            if len(parts) == 1:
                return None, "", table
            mount = table.get(parts[1])
            if mount is None:
                names = ", ".join(sorted(table)) or "none yet"
                raise PathRefused(f"{path!r}: no {parts[0]}/{parts[1]} (there are: {names})")
            rel = "/".join(parts[2:])
            if mount.only is not None and rel not in ("", mount.only):
                raise PathRefused(f"{path!r}: {mount.shown} holds only the file {mount.only!r}")
            return mount, rel, None
        if self.own is None:
            raise PathRefused(f"{path!r}: this agent has no workspace (set backend.cwd); "
                              f"only {PEERS}/ and {CONTEXT}/ can be read")
        return self.own, "/".join(parts), None
