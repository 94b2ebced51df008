"""The snapshot store: content stored once, snapshots as hard links, unchanged files neither re-read nor re-stored."""

from __future__ import annotations

import os
from pathlib import Path

from massgen_tui.workspace.fs import Folder
from massgen_tui.workspace.snapshots import SnapshotStore


def test_an_unchanged_file_costs_nothing_in_the_next_snapshot(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "src").mkdir(parents=True)
    (workspace / "src" / "big.bin").write_bytes(os.urandom(200_000))
    (workspace / "notes.md").write_text("v1")
    store = SnapshotStore(tmp_path / "store")
    first, stats = store.snapshot(Folder(workspace))
    assert (stats.files, stats.new_files, stats.new_bytes) == (2, 2, 200_002)
    (workspace / "notes.md").write_text("v2")
    second, stats = store.snapshot(Folder(workspace))
    assert (stats.files, stats.new_files, stats.new_bytes) == (2, 1, 2)
    assert first["src/big.bin"] == second["src/big.bin"] and first["notes.md"] != second["notes.md"]
    store.materialize(first, tmp_path / "log" / "answer_1")
    store.materialize(second, tmp_path / "log" / "answer_2")
    one, two = tmp_path / "log" / "answer_1" / "src" / "big.bin", tmp_path / "log" / "answer_2" / "src" / "big.bin"
    assert one.stat().st_ino == two.stat().st_ino  # the same file on disk, twice linked
    assert (tmp_path / "log" / "answer_1" / "notes.md").read_text() == "v1"
    assert (tmp_path / "log" / "answer_2" / "notes.md").read_text() == "v2"
    assert store.disk_usage() == 200_004


def test_snapshots_skip_symlinks_and_are_read_only(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "a.txt").write_text("a")
    (workspace / "passwd").symlink_to("/etc/passwd")
    store = SnapshotStore(tmp_path / "store")
    manifest, _ = store.snapshot(Folder(workspace))
    assert list(manifest) == ["a.txt"]
    store.materialize(manifest, tmp_path / "copy")
    assert not os.access(tmp_path / "copy" / "a.txt", os.W_OK) or os.geteuid() == 0
    assert (tmp_path / "copy" / "a.txt").stat().st_mode & 0o777 == 0o400
