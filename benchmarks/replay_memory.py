"""Replay memory against the log's size, for the two logs that used to grow it quadratically; prints a table.

Cases (each written in our ``events.jsonl`` format, then replayed in a fresh process):
- ``long-line``: one reply of 5 MB with no newline (streamed in 200-character chunks);
- ``million``: 1,000,000 text chunks from four agents, none with a newline.

In the child process the app runs headless (``run_test``): open the log, wait for indexing, seek to
the end, back to the start and to the middle. Peak RSS is the process's; "grown" is the peak less
the RSS after the imports (the interpreter, Textual), and "ratio" is grown / log size.

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

from massgen_tui.events import types as ev  # noqa: E402

AGENTS = ("alpha", "beta", "gamma", "delta")
CASES = ("long-line", "million")


def generate(path: Path, case: str) -> None:
    """Write the log of ``case`` to ``path``."""
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
            for _ in range(5_000_000 // len(chunk)):
                emit(ev.TextDelta(agent_id="alpha", text=chunk))
        else:
            words = ("alpha ", "beta ", "gamma ", "delta ", "omega ")
            for i in range(1_000_000):
                emit(ev.TextDelta(agent_id=agents[i % len(agents)], text=words[i % 5]))
        emit(ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer="done"))
        emit(ev.SessionEnded(status="completed", winner_id="alpha", totals={}))


def rss_mb() -> float:
    """The process's resident memory now, in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


async def replay(path: Path) -> dict[str, float]:
    """Open ``path`` in the replay app, wait for indexing, seek end, start, middle."""
    from massgen_tui.app.replay_app import ReplayApp
    from massgen_tui.replay.session import open_session

    baseline = rss_mb()
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
    return {"baseline": baseline, "indexed": indexed, "total": time.perf_counter() - started}


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
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            generate(path, case)
        done = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True)
        if done.returncode:
            rows.append((case, f"{path.stat().st_size / 1e6:.1f}", "failed", "", "", done.stderr.strip()[-80:]))
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        size = path.stat().st_size / 1e6
        grown = result["peak"] - result["baseline"]
        rows.append((case, f"{size:.1f}", f"{result['peak']:.0f}", f"{grown:.0f}", f"{grown / size:.2f}",
                     f"{result['indexed']:.1f} / {result['total']:.1f}"))
    header = ("case", "log MB", "peak RSS MB", "grown MB", "grown / log", "indexed / all s")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)))


if __name__ == "__main__":
    main()
