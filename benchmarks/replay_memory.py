"""Replay memory against the log's size, for the two logs that used to grow it quadratically; prints a table.

Cases (each written in our ``events.jsonl`` format, then replayed in a fresh process):
- ``long-line``: one reply of 5 MB with no newline (streamed in 200-character chunks);
- ``million``: 1,000,000 text chunks from four agents, none with a newline.

In a child process the app runs headless (``run_test``): open the log, wait for indexing, seek to
the end, back to the start and to the middle. Peak RSS is the child's; "grown" is that peak less the
peak of the same run on a log of the same shape with 100 events (the interpreter, Textual and the
app's own screens), and "grown / log" is the part that depends on the log.

Usage: ``python benchmarks/replay_memory.py [--case long-line|million] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from massgen_tui.events import types as ev

AGENTS = ("alpha", "beta", "gamma", "delta")
CASES = ("long-line", "million")


def generate(path: Path, case: str, scale: float = 1.0) -> None:
    """Write the log of ``case`` to ``path`` (``scale``: a fraction of its events)."""
    seq, ts = 0, 1_700_000_000.0
    agents = AGENTS[:1] if case == "long-line" else AGENTS
    with open(path, "w", encoding="utf-8") as out:
        def emit(event: ev.Event) -> None:
            nonlocal seq, ts
            seq += 1
            ts += 0.001
            event.seq, event.ts = seq, ts
            out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")

        labels = {a: f"agent{i + 1}" for i, a in enumerate(agents)}
        emit(ev.SessionStarted(session_id="bench", config={}, agents=[
            {"id": a, "label": labels[a], "backend": "openai", "model": "m"} for a in agents]))
        emit(ev.TurnStarted(turn=1, question="Q?", labels=labels))
        for a in agents:
            emit(ev.RoundStarted(agent_id=a, round=0, answers_seen=[]))
        if case == "long-line":
            chunk = ("lorem ipsum dolor sit amet " * 8)[:200]
            for _ in range(int(5_000_000 // len(chunk) * scale)):
                emit(ev.TextDelta(agent_id="alpha", text=chunk))
        else:
            words = ("alpha ", "beta ", "gamma ", "delta ", "omega ")
            for i in range(int(1_000_000 * scale)):
                emit(ev.TextDelta(agent_id=agents[i % len(agents)], text=words[i % 5]))
        emit(ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer="done"))
        emit(ev.SessionEnded(status="completed", winner_id="alpha", totals={}))


async def replay(path: Path) -> dict[str, float]:
    """Open ``path`` in the replay app, wait for indexing, seek end, start, middle."""
    from massgen_tui.app.replay_app import ReplayApp
    from massgen_tui.replay.session import open_session

    started = time.perf_counter()
    app = ReplayApp(open_session(path), settings_path=path.parent / "settings.yaml", theme_dirs=())
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        while screen.position < 1 or screen._building:
            await asyncio.sleep(0.05)
        indexed = time.perf_counter() - started
        for target in (screen.total, 1, screen.total // 2, screen.total):
            screen.seek(target)
            await pilot.pause()
    return {"indexed": indexed, "total": time.perf_counter() - started}


def child(path: Path) -> None:
    results = asyncio.run(replay(path))
    results["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 * 1.048576  # KiB -> MB
    print(json.dumps(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, action="append", help="run only this case (repeatable)")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the logs in this folder")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="replay-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in args.case or CASES:
        path = folder / case / "events.jsonl"
        small = folder / f"{case}-small" / "events.jsonl"
        for log, scale in ((path, 1.0), (small, 100 / (25_000 if case == "long-line" else 1_000_000))):
            if not log.exists():
                log.parent.mkdir(parents=True, exist_ok=True)
                generate(log, case, scale)
        runs = [subprocess.run([sys.executable, __file__, "--child", str(log)], capture_output=True, text=True)
                for log in (small, path)]
        if any(run.returncode for run in runs):
            failed = next(run for run in runs if run.returncode)
            rows.append((case, f"{path.stat().st_size / 1e6:.1f}", "failed", "", "", failed.stderr.strip()[-80:]))
            continue
        base, result = (json.loads(run.stdout.strip().splitlines()[-1]) for run in runs)
        size = path.stat().st_size / 1e6
        grown = result["peak"] - base["peak"]
        rows.append((case, f"{size:.1f}", f"{result['peak']:.0f}", f"{grown:.0f}", f"{grown / size:.2f}",
                     f"{result['indexed']:.1f} / {result['total']:.1f}"))
    header = ("case", "log MB", "peak RSS MB", "grown MB", "grown / log", "indexed / all s")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
