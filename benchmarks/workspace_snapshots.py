"""Snapshot cost per answer for a workspace of 1,000 files / 50 MB: time and disk, against full copies.

Each answer is snapshotted the way a session does it (content store, then hard links into the
log and into two peers' temporary workspaces). Answers 2 and 3 change nothing, answer 4 changes
10 files. Disk is counted once per inode, as ``du`` does.

    python benchmarks/workspace_snapshots.py [--files 1000] [--mb 50]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from massgen_tui.workspace.fs import Folder
from massgen_tui.workspace.snapshots import SnapshotStore


def disk(root: Path) -> int:
    """Bytes on disk under ``root``, each inode counted once."""
    seen, total = set(), 0
    for folder, _, names in os.walk(root):
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            if info.st_ino not in seen:
                seen.add(info.st_ino)
                total += info.st_blocks * 512
    return total


def make_workspace(folder: Path, files: int, total_mb: int) -> None:
    size = total_mb * 1024 * 1024 // files
    for index in range(files):
        path = folder / f"pkg{index % 20}" / f"file{index}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(size))


def change(folder: Path, count: int) -> None:
    for index in range(count):
        path = folder / f"pkg{index % 20}" / f"file{index}.bin"
        path.write_bytes(os.urandom(path.stat().st_size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="ws-bench-"))
    try:
        workspace = root / "ws"
        make_workspace(workspace, args.files, args.mb)
        store = SnapshotStore(root / "log" / "snapshot_store")
        rows = []
        plan = [
            ("1: first answer", 0),
            ("2: nothing changed", 0),
            ("3: nothing changed", 0),
            ("4: 10 files changed", 10),
        ]
        for version, (name, changed) in enumerate(plan, start=1):
            change(workspace, changed)
            before = disk(root / "log")
            started = time.perf_counter()
            manifest, stats = store.snapshot(Folder(workspace))
            store.materialize(manifest, root / "log" / "turn_1" / "a" / f"answer_{version}" / "workspace")
            for peer in ("b", "c"):
                store.materialize(manifest, root / "temp" / peer / "agent1")
            seconds = time.perf_counter() - started
            copy_started = time.perf_counter()
            shutil.copytree(workspace, root / "copies" / f"answer_{version}")
            copy_seconds = time.perf_counter() - copy_started
            rows.append((name, stats.files, stats.new_bytes, seconds, disk(root / "log") - before, copy_seconds,
                         disk(root / "copies" / f"answer_{version}")))
        print(f"workspace: {args.files} files, {disk(workspace) / 1e6:.1f} MB on disk\n")
        header = ("answer", "files", "new bytes stored", "snapshot s", "log disk +MB", "full copy s", "copy disk +MB")
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for name, files, new, seconds, grown, copy_s, copy_disk in rows:
            print(f"| {name} | {files} | {new / 1e6:.1f} MB | {seconds:.3f} | {grown / 1e6:.2f} | {copy_s:.3f} | "
                  f"{copy_disk / 1e6:.1f} |")
        print(f"\nlog after {len(rows)} answers: {disk(root / 'log') / 1e6:.1f} MB "
              f"(full copies: {disk(root / 'copies') / 1e6:.1f} MB)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
