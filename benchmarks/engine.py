"""Engine benchmark: 3, 8 and 32 agents against the loopback fake provider, printed as a table.

Each session runs as a real ``massgen-tui --no-display`` process (so its CPU time and peak memory
are its own, measured with ``os.wait4``); the fake provider runs in this driver process. Every
provider call streams the same number of chunks with a fixed delay, so the ideal wall time of a
session is exact: (the most calls any one agent made) x (chunks x delay). Coordination overhead is
the time from the first provider request to the end of the session beyond that ideal.

Two profiles run by default: short calls (25 chunks x 20 ms = 0.5 s, which magnifies the fixed cost
of each provider call) and typical calls (200 chunks x 20 ms = 4 s, a 200-token answer at 50 tokens/s).

Usage: ``python benchmarks/engine.py [--agents 3 8 32] [--chunks N --delay S]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fake_provider import CallTool, FakeProvider, Reply, Text  # noqa: E402

QUESTION = "What is 2+2?"


def responder(chunks: int, delay: float, calls: dict[str, int], first_request: list[float], lock: threading.Lock):
    """Answer once, then vote for the first label; every call streams ``chunks`` chunks."""
    answered: set[str] = set()

    def respond(request) -> Reply:
        with lock:
            if not first_request:
                first_request.append(time.time())
            calls[request.model] = calls.get(request.model, 0) + 1
        text = [Text(f"word{i:03d} ") for i in range(chunks)]
        if not request.tools:
            return Reply(*text, chunk_delay=delay)
        vote = request.tool("vote")
        labels = vote["parameters"]["properties"]["agent_id"]["enum"] if vote else []
        if request.model not in answered or not labels:
            answered.add(request.model)
            return Reply(*text, CallTool("new_answer", {"content": f"2+2 = 4 (from {request.model})"}),
                         chunk_delay=delay)
        return Reply(*text, CallTool("vote", {"agent_id": labels[0], "reason": "correct"}), chunk_delay=delay)

    return respond


def write_config(path: Path, base_url: str, agents: int) -> None:
    lines = ["agents:"]
    for i in range(agents):
        lines += [f"  - id: agent_{i:02d}", "    backend:", "      type: chatcompletion",
                  f"      model: fake-{i:02d}", f"      base_url: {base_url}"]
    path.write_text("\n".join(lines) + "\n")


def run_session(agents: int, chunks: int, delay: float) -> dict[str, float]:
    calls: dict[str, int] = {}
    first_request: list[float] = []
    with FakeProvider() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.default(responder(chunks, delay, calls, first_request, threading.Lock()))
        config = Path(tmp) / "team.yaml"
        write_config(config, fake.base_url("openai"), agents)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "massgen_tui", "--no-display", "--config", str(config),
                   "--log-dir", str(Path(tmp) / "logs"), QUESTION]
        started = time.time()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        ended = time.time()
        stderr = process.stderr.read().decode() if process.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"session with {agents} agents failed:\n{stderr}")
        (folder,) = (Path(tmp) / "logs").iterdir()
        result = json.loads((folder / "result.json").read_text())
        events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    session_end = events[-1]["ts"]
    ideal = max(calls.values()) * chunks * delay
    coordination = session_end - first_request[0]
    return {
        "agents": agents,
        "wall": ended - started,
        "coordination": coordination,
        "ideal": ideal,
        "overhead": (coordination - ideal) / coordination,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "input_tokens": result["totals"]["input_tokens"],
        "calls": sum(calls.values()),
        "startup": first_request[0] - started,
    }


def sdk_import_seconds() -> float:
    """The bare cost of importing the OpenAI SDK in a fresh process (part of every start-up here)."""
    code = "import time; t = time.perf_counter(); import openai; print(time.perf_counter() - t)"
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(3)]
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[3, 8, 32])
    parser.add_argument("--chunks", type=int, help="chunks streamed per provider call (one custom profile)")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds between chunks")
    args = parser.parse_args()
    profiles = [(args.chunks, args.delay)] if args.chunks else [(25, 0.02), (200, 0.02)]

    sdk = sdk_import_seconds()
    print(f"question: {QUESTION!r}; openai SDK import alone: {sdk:.2f} s")
    header = ("agents", "call s", "wall s", "coord s", "ideal s", "overhead", "CPU s", "peak MB", "calls",
              "input tok", "start->1st req s", "ours (minus SDK) s")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for chunks, delay in profiles:
        for n in args.agents:
            r = run_session(n, chunks, delay)
            print(" | ".join([
                f"{r['agents']}", f"{chunks * delay:.1f}", f"{r['wall']:.2f}", f"{r['coordination']:.2f}",
                f"{r['ideal']:.2f}", f"{r['overhead'] * 100:.1f}%", f"{r['cpu']:.2f}", f"{r['peak_mb']:.0f}",
                f"{r['calls']:.0f}", f"{r['input_tokens']:,}", f"{r['startup']:.2f}", f"{r['startup'] - sdk:.2f}",
            ]), flush=True)
    print("MassGen 0.1.97 on the same 3-agent question: about 35,000 input tokens, 10 s wall, 9 s CPU, 400 MB.")

if __name__ == "__main__":
    main()
