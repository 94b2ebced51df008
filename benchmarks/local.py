"""Local benchmark: ``massgen-tui --local`` (three agents on the embedded SmolLM2-135M), printed as a table.

Each run is a real ``massgen-tui --local --no-display`` process; its peak memory and CPU time come
from ``os.wait4``. Tokens/s per agent is the agent's output tokens over the time its calls were
generating (from a call's first streamed token to its usage report); aggregate tokens/s is all
agents' output tokens over the session's generating time (the union of those spans). "all 3
streaming" is how long the three agents streamed at the same moment: the agents share one model
engine with a slot each, so their generations overlap instead of taking turns. Needs the local
extra and the embedded model (``massgen-tui fetch-model``).

Usage: ``python benchmarks/local.py [--runs 3] [--question TEXT]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUESTION = "What is 2+2?"
_TEXT = ("text", "final_delta")


def generation_spans(events: list[dict]) -> dict[str, list[tuple[float, float, int]]]:
    """Per agent: its calls as (first streamed token, usage report, output tokens)."""
    first_token: dict[str, float] = {}
    spans: dict[str, list[tuple[float, float, int]]] = {}
    for event in events:
        agent = event.get("agent_id")
        if event["type"] in _TEXT:
            first_token.setdefault(agent, event["ts"])
        elif event["type"] == "usage" and agent in first_token:
            spans.setdefault(agent, []).append((first_token.pop(agent), event["ts"], int(event["output_tokens"])))
    return dict(sorted(spans.items()))


def generation_rates(spans: dict[str, list[tuple[float, float, int]]]) -> dict[str, tuple[int, float]]:
    """Per agent: (output tokens, seconds spent generating them)."""
    return {agent: (sum(s[2] for s in calls), sum(s[1] - s[0] for s in calls)) for agent, calls in spans.items()}


def overlap_seconds(spans: dict[str, list[tuple[float, float, int]]], at_least: int) -> float:
    """How long at least ``at_least`` agents were generating at the same moment."""
    edges = sorted((t, step) for calls in spans.values() for start, end, _ in calls
                   for t, step in ((start, 1), (end, -1)))
    active, since, total = 0, 0.0, 0.0
    for t, step in edges:
        if active >= at_least:
            total += t - since
        active += step
        since = t
    return total


def run_once(question: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "massgen_tui", "--local", "--no-display", "--log-dir", tmp, question]
        started = time.time()
        process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(REPO)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.time() - started
        stderr = process.stderr.read().decode() if process.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"--local session failed:\n{stderr}")
        (folder,) = Path(tmp).iterdir()
        events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    kinds = [event["type"] for event in events]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "answers": kinds.count("answer"),
        "votes": kinds.count("vote"),
        "rejected": kinds.count("rejected"),
        "spans": generation_spans(events),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    print(f"massgen-tui --local {args.question!r}: 3 agents, embedded SmolLM2-135M-Instruct, {os.cpu_count()} CPUs")
    header = ["run", "wall s", "CPU s", "peak MB", "answers", "votes", "rejected", "tokens/s per agent (tokens)",
              "aggregate tokens/s", "generating s", "all 3 streaming s"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for run in range(1, args.runs + 1):
        result = run_once(args.question)
        spans: dict[str, list[tuple[float, float, int]]] = result["spans"]  # type: ignore[assignment]
        rates = ", ".join(f"{agent} {tokens / seconds:.0f} ({tokens})" if seconds else f"{agent} - ({tokens})"
                          for agent, (tokens, seconds) in generation_rates(spans).items())
        generating = overlap_seconds(spans, 1)
        tokens = sum(call[2] for calls in spans.values() for call in calls)
        aggregate = f"{tokens / generating:.0f}" if generating else "-"
        print(" | ".join([str(run), f"{result['wall']:.1f}", f"{result['cpu']:.1f}", f"{result['peak_mb']:.0f}",
                          str(result["answers"]), str(result["votes"]), str(result["rejected"]), rates,
                          aggregate, f"{generating:.1f}", f"{overlap_seconds(spans, 3):.1f}"]))


if __name__ == "__main__":
    main()
