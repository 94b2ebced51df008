"""Eval throughput: questions per minute per mode on the loopback fake provider, at concurrency 1, 8 and 32.

Three agents; every provider call waits ``--delay`` seconds (a stand-in for a model's latency) and
then replies at once. ``single`` is one agent alone, ``majority`` three independent answers,
``protocol`` a full session (three answers, votes, restarts and the final presentation). Everything
runs in this process, as ``massgen-tui eval`` does, with session logs written (to a temporary folder).

Usage: ``python benchmarks/eval.py [--questions 48] [--delay 0.1] [--concurrency 1 8 32]``
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from massgen_tui.eval.modes import Mode  # noqa: E402
from massgen_tui.eval.questions import Question  # noqa: E402
from massgen_tui.eval.results import read_records  # noqa: E402
from massgen_tui.eval.run import run_eval  # noqa: E402
from tests.conftest import make_team  # noqa: E402
from tests.coordination.helpers import vote_labels  # noqa: E402
from tests.fake_provider import CallTool, Delay, FakeProvider, Reply, Text  # noqa: E402

MODES = (Mode("single:a", "single", agent_id="a"), Mode("majority", "majority"), Mode("protocol", "protocol"))


def responder(name: str, delay: float):
    """Answer 42 (alone, or first in a round), vote for agent1 once answers exist."""
    def respond(request) -> Reply:
        if not request.tools:
            return Reply(Delay(delay), Text("The answer is 42."))
        if not vote_labels(request):
            return Reply(Delay(delay), CallTool("new_answer", {"content": f"{name}: 42"}))
        return Reply(Delay(delay), CallTool("vote", {"agent_id": "agent1", "reason": "right"}))

    return respond


async def measure(fake: FakeProvider, mode: Mode, questions: list[Question], concurrency: int) -> tuple[float, int]:
    """Seconds to run every question under ``mode``, and how many came out right."""
    config = make_team(fake, *((n, "chatcompletion", f"m-{n}") for n in "abc"))
    with tempfile.TemporaryDirectory() as out:
        results = Path(out) / "results.jsonl"
        started = time.perf_counter()
        await run_eval(config, questions, [mode], Path(out), results, concurrency=concurrency)
        elapsed = time.perf_counter() - started
        return elapsed, sum(r["correct"] for r in read_records(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=48)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds per provider call")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()
    questions = [Question(id=f"q{i:03d}", question=f"Question {i}: what is 6 x 7?", answer="42", scorer="numeric")
                 for i in range(args.questions)]
    rows = []
    with FakeProvider() as fake:
        for name in "abc":
            fake.responder(f"m-{name}", responder(name, args.delay))
        asyncio.run(measure(fake, MODES[2], questions[:1], 1))  # warm-up: SDK imports, first connections
        for concurrency in args.concurrency:
            for mode in MODES:
                seconds, right = asyncio.run(measure(fake, mode, questions, concurrency))
                assert right == len(questions), f"{mode.name}: {right}/{len(questions)} right"
                rows.append((mode.name, concurrency, seconds, 60 * len(questions) / seconds))
                print(f"  {mode.name} at concurrency {concurrency}: {seconds:.1f} s", file=sys.stderr)
    print(f"{args.questions} questions, 3 agents, {args.delay:g} s per provider call\n")
    print(f"{'mode':<10} {'concurrency':>11} {'wall s':>8} {'questions/min':>14}")
    for name, concurrency, seconds, per_minute in rows:
        print(f"{name:<10} {concurrency:>11} {seconds:>8.1f} {per_minute:>14.0f}")


if __name__ == "__main__":
    main()
