"""Local benchmark: ``massgen-tui --local`` (three agents on the embedded SmolLM2-135M), printed as a table.

Each run is a real ``massgen-tui --local --no-display`` process; its peak memory and CPU time come
from ``os.wait4``. Tokens/s per agent is the agent's output tokens over the time its calls were
generating (from a call's first streamed token to its usage report), so the time an agent waits
for the shared model (one generation at a time) is not counted against it. Needs the local extra.

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


def generation_rates(events: list[dict]) -> dict[str, tuple[int, float]]:
    """Per agent: (output tokens, seconds spent generating them)."""
    first_token: dict[str, float] = {}
    totals: dict[str, list[float]] = {}
    for event in events:
        agent = event.get("agent_id")
        if event["type"] in _TEXT:
            first_token.setdefault(agent, event["ts"])
        elif event["type"] == "usage" and agent in first_token:
            total = totals.setdefault(agent, [0, 0.0])
            total[0] += event["output_tokens"]
            total[1] += event["ts"] - first_token.pop(agent)
    return {agent: (int(tokens), seconds) for agent, (tokens, seconds) in sorted(totals.items())}


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
        "rates": generation_rates(events),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--question", default=QUESTION)
    args = parser.parse_args()
    print(f"massgen-tui --local {args.question!r}: 3 agents, embedded SmolLM2-135M-Instruct, {os.cpu_count()} CPUs")
    header = ["run", "wall s", "CPU s", "peak MB", "answers", "votes", "rejected", "tokens/s per agent (tokens)"]
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for run in range(1, args.runs + 1):
        result = run_once(args.question)
        rates = ", ".join(f"{agent} {tokens / seconds:.0f} ({tokens})" if seconds else f"{agent} - ({tokens})"
                          for agent, (tokens, seconds) in result["rates"].items())  # type: ignore[union-attr]
        print(" | ".join([str(run), f"{result['wall']:.1f}", f"{result['cpu']:.1f}", f"{result['peak_mb']:.0f}",
                          str(result["answers"]), str(result["votes"]), str(result["rejected"]), rates]))


if __name__ == "__main__":
    main()
