"""Workspace view benchmark: the reader and the screen on a big snapshot, printed as a table.

A session log with two answer snapshots of N files (N/10 folders, ~50 KB each: 1,000 files = 50 MB),
the second changing one file in ten. Measured: listing a version's files, reading the largest file,
diffing a changed file, the view's poll of which snapshots exist (four times a second while it is
open), and, in a headless app, opening the view and expanding a version (its files listed in the tree).

Usage: ``python benchmarks/workspace_view.py [--files 100 1000 5000]``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from massgen_tui.replay import workspaces as ws

FILE_BYTES = 50_000
SAMPLE = "pkg_0/module_0.py"  # changed in the second snapshot


def make_log(folder: Path, count: int) -> list[tuple[int, str, int]]:
    """Two snapshots of ``count`` files each (one in ten changed in the second); returns the answers."""
    line = "x = 'some generated code line for the benchmark'\n"
    body = line * (FILE_BYTES // len(line))
    for version in (1, 2):
        root = ws.answer_root(folder, 1, "alpha", version)
        for i in range(count):
            path = root / f"pkg_{i % max(count // 10, 1)}" / f"module_{i}.py"
            path.parent.mkdir(parents=True, exist_ok=True)
            changed = version == 2 and i % 10 == 0
            path.write_text(body + (f"y = {i}\n" if changed else ""), encoding="utf-8")
    return [(1, "alpha", 1), (1, "alpha", 2)]


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """The best of ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


async def open_view(folder: Path, answers: list[tuple[int, str, int]]) -> tuple[float, float]:
    """Milliseconds to open the workspace view, and to expand a version of it, in a headless app."""
    from textual.app import App

    from massgen_tui.app.workspace_screen import WorkspaceScreen
    from massgen_tui.view.session_view import SessionView

    view = SessionView()
    view.answer_log = list(answers)
    app = App()
    async with app.run_test(size=(200, 50)) as pilot:
        start = time.perf_counter()
        await app.push_screen(WorkspaceScreen(view, folder))
        await pilot.pause()
        opened = time.perf_counter() - start
        screen = app.screen
        assert isinstance(screen, WorkspaceScreen)
        node = screen._version_nodes[(1, "alpha", 2)]
        start = time.perf_counter()
        node.expand()
        await pilot.pause()
        expanded = time.perf_counter() - start
    return opened * 1000, expanded * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    print(f"{'files':>6} {'MB/version':>10} {'list ms':>8} {'read ms':>8} {'diff ms':>8} {'poll ms':>8} "
          f"{'open ms':>8} {'expand ms':>9}")
    for count in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            answers = make_log(folder, count)
            old, new = ws.versions(folder, answers)
            listing = timed(lambda new=new: ws.files(new))
            reading = timed(lambda new=new: ws.read(new, SAMPLE))
            diffing = timed(lambda old=old, new=new: ws.diff(old, SAMPLE, new, SAMPLE))
            polling = timed(lambda folder=folder, answers=answers: ws.versions(folder, answers), repeat=50)
            opened, expanded = asyncio.run(open_view(folder, answers))
            print(f"{count:>6} {count * FILE_BYTES / 1e6:>10.1f} {listing:>8.1f} {reading:>8.2f} {diffing:>8.1f} "
                  f"{polling:>8.3f} {opened:>8.1f} {expanded:>9.1f}")


if __name__ == "__main__":
    main()
