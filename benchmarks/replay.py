"""Replay benchmark: open a 100 MB / 100,000-event session log, seek around, measure memory; prints a table.

The generated session is one turn of four agents over several rounds: streamed text and reasoning
chunks (most events), tool calls whose results are large (file and page reads: most bytes), answers,
votes (some cleared by newer answers), restarts, the final answer. It is written in our
``events.jsonl`` format.

Measured, with the app running headless (``run_test``):
- open to first frame: from ``open_session`` to the frame showing the first event (indexing goes on
  in a thread), and to the end of indexing;
- seeks: start->end, end->start and random jumps: the ``seek`` call (state and layout) and seek plus
  the next frame, p50 and max;
- peak resident memory of the process, against the log's size and the text its panels hold at the end.

Usage: ``python benchmarks/replay.py [--events N] [--megabytes M] [--jumps J] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from massgen_tui.events import types as ev  # noqa: E402

AGENTS = ("alpha", "beta", "gamma", "delta")
WORDS = "the answer depends on how we read the question and which sources agree with each other".split()


def generate(path: Path, events: int, megabytes: float, seed: int = 7) -> dict[str, int]:
    """Write a session of about ``events`` events and ``megabytes`` MB; returns counts per type."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    tool_share = 0.02  # of events: tool calls and results carry most of the bytes
    tools = int(events * tool_share)
    text_bytes = (events - tools) * 90  # a chunk line is about 90 bytes with its JSON
    result_size = max(int((megabytes * 1e6 - text_bytes) / max(tools // 2, 1)), 100)
    labels = {a: f"agent{i + 1}" for i, a in enumerate(AGENTS)}
    ts = 1_700_000_000.0
    seq = 0
    with open(path, "w", encoding="utf-8") as out:
        def emit(event: ev.Event, step: float = 0.01) -> None:
            nonlocal seq, ts
            seq += 1
            ts += step
            event.seq, event.ts = seq, ts
            out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            counts[event.type] = counts.get(event.type, 0) + 1

        emit(ev.SessionStarted(session_id="bench", config={}, agents=[
            {"id": a, "label": labels[a], "backend": "openai", "model": f"model-{a}"} for a in AGENTS]))
        emit(ev.TurnStarted(turn=1, question="A long research question?", labels=labels))
        rounds = {a: 0 for a in AGENTS}
        versions = {a: 0 for a in AGENTS}
        for a in AGENTS:
            emit(ev.RoundStarted(agent_id=a, round=0, answers_seen=[]))
        budget = events - 40
        call = 0
        while seq < budget:
            a = rng.choice(AGENTS)
            roll = rng.random()
            if roll < tool_share / 2:
                call += 1
                emit(ev.ToolCallStarted(agent_id=a, call_id=f"c{call}", name="mcp__files__read_text_file",
                                        arguments={"path": f"/data/doc{call}.md"}))
                body = " ".join(rng.choice(WORDS) for _ in range(result_size // 6))[:result_size]
                emit(ev.ToolCallFinished(agent_id=a, call_id=f"c{call}", name="mcp__files__read_text_file",
                                         result=body, duration=0.2))
            elif roll < tool_share / 2 + 0.0003:
                versions[a] += 1
                content = "\n".join(" ".join(rng.choice(WORDS) for _ in range(15)) for _ in range(30))
                emit(ev.AnswerSubmitted(agent_id=a, label=labels[a], version=versions[a], content=content))
                others = [o for o in AGENTS if o != a]
                emit(ev.VotesInvalidated(by_agent_id=a, voters=others[:2]))
                for o in others[:2]:
                    rounds[o] += 1
                    emit(ev.AgentRestarted(agent_id=o, reason=f"new answer from {labels[a]}", round=rounds[o]))
                    emit(ev.RoundStarted(agent_id=o, round=rounds[o], answers_seen=[labels[a]]))
            elif roll < tool_share / 2 + 0.0009 and any(versions.values()):
                target = rng.choice([o for o in AGENTS if versions[o]])
                emit(ev.VoteCast(agent_id=a, target_id=target, target_label=labels[target], reason="most complete"))
            elif roll < 0.25:
                emit(ev.ReasoningDelta(agent_id=a, text=" ".join(rng.choice(WORDS) for _ in range(8))))
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
                emit(ev.TextDelta(agent_id=a, text=text + ("\n" if rng.random() < 0.15 else " ")))
        emit(ev.ConsensusReached(winner_id="alpha", tally={"alpha": 3}, reason="votes"))
        emit(ev.FinalStarted(agent_id="alpha"))
        final = "".join(f"Paragraph {i}: " + " ".join(WORDS) + "\n" for i in range(20))
        for i in range(0, len(final), 80):
            emit(ev.FinalDelta(agent_id="alpha", text=final[i:i + 80]))
        emit(ev.FinalEnded(agent_id="alpha", content=final))
        emit(ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer=final))
        emit(ev.SessionEnded(status="completed", winner_id="alpha", totals={"input_tokens": 1, "output_tokens": 1}))
    return counts


async def measure(path: Path, jumps: int) -> dict[str, object]:
    from massgen_tui.app.replay_app import ReplayApp
    from massgen_tui.replay.session import open_session

    started = time.perf_counter()
    app = ReplayApp(open_session(path), settings_path=path.parent / "settings.yaml", theme_dirs=())
    results: dict[str, object] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        while screen.position < 1:
            await asyncio.sleep(0.005)
        await pilot.pause()
        results["first_frame"] = time.perf_counter() - started
        while screen._building:
            await asyncio.sleep(0.02)
        results["indexed"] = time.perf_counter() - started
        total = screen.total

        async def seek(target: int) -> tuple[float, float]:
            t0 = time.perf_counter()
            screen.seek(target)
            t1 = time.perf_counter()
            await pilot.pause()
            return t1 - t0, time.perf_counter() - t0

        t0 = time.perf_counter()
        await pilot.pause()
        results["idle_frame"] = time.perf_counter() - t0
        results["start_to_end"] = await seek(total)
        results["end_to_start"] = await seek(1)
        rng = random.Random(3)
        middles = [await seek(rng.randint(1, total)) for _ in range(jumps)]
        results["middles"] = middles
        results["total"] = total
        results["checkpoints"] = len(screen.session.checkpoints)
        whole = screen.session.whole
        transcripts = [a.transcript for a in whole.agents.values()]
        results["text_mb"] = sum(len(t) for tr in transcripts for t in tr.texts) / 1e6
        results["details_mb"] = sum(len(d) for tr in transcripts for ds in tr.details.values() for d in ds) / 1e6
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--megabytes", type=float, default=100.0)
    parser.add_argument("--jumps", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the log in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="replay-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.jsonl"
    if not path.exists():
        t0 = time.perf_counter()
        counts = generate(path, args.events, args.megabytes)
        print(f"generated {sum(counts.values()):,} events, {path.stat().st_size / 1e6:.1f} MB in "
              f"{time.perf_counter() - t0:.1f}s: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    results = asyncio.run(measure(path, args.jumps))
    middles = results["middles"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    rows = [
        ("log", f"{path.stat().st_size / 1e6:.1f} MB, {results['total']:,} events, "
                f"{results['checkpoints']} checkpoints"),
        ("open -> first frame", ms(results["first_frame"])),
        ("open -> indexed (in a thread)", ms(results["indexed"])),
        ("a frame with nothing to seek (reference)", ms(results["idle_frame"])),
        ("seek start -> end (call / +frame)", f"{ms(results['start_to_end'][0])} / {ms(results['start_to_end'][1])}"),
        ("seek end -> start (call / +frame)", f"{ms(results['end_to_start'][0])} / {ms(results['end_to_start'][1])}"),
        (f"seek {len(middles)} random jumps p50 (call / +frame)",
         f"{ms(statistics.median(c for c, _ in middles))} / {ms(statistics.median(f for _, f in middles))}"),
        (f"seek {len(middles)} random jumps max (call / +frame)",
         f"{ms(max(c for c, _ in middles))} / {ms(max(f for _, f in middles))}"),
        ("text the panels hold at the end", f"{results['text_mb']:.1f} MB lines + {results['details_mb']:.1f} MB "
                                            "tool call details"),
        ("peak RSS", f"{peak:.0f} MB"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
