"""CLI agents against an API agent: start-up to the first streamed token, and peak memory.

Each run is a fresh Python process (``--one FAMILY``) that starts the loopback fake provider,
creates one backend (``claude_code``: the real Claude Code CLI bundled in claude-agent-sdk;
``codex``: the Codex CLI on PATH, when there; ``openai``: the Responses API through the openai
SDK), and streams one reply. Measured from creating the backend (SDK import included) to its
first text chunk, and the whole reply; memory is the peak resident set of the Python process
plus every child process (sampled from /proc every 10 ms). Prints a table of medians.

Usage: ``python benchmarks/cli_agents.py [--runs 5] [--families openai,claude_code,codex]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.backends.cli_agents import codex_cli

MODEL = {"openai": "bench-gpt", "claude_code": "bench-claude-code", "codex": "bench-codex"}
URL_KIND = {"openai": "openai", "claude_code": "anthropic", "codex": "openai"}
REPLY = "The answer is 4. " * 8


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, frontier = [root], [root]
    while frontier:
        for child in children.get(frontier.pop(), []):
            found.append(child)
            frontier.append(child)
    return found


class PeakMemory:
    """Samples the resident memory of this process and its descendants in a thread; keeps the peak."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(os.getpid())))
            self._stop.wait(0.01)

    @contextlib.contextmanager
    def sampling(self) -> Iterator[PeakMemory]:
        """Sample while the block runs."""
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


async def _one(family: str) -> dict[str, float]:
    from tests.fake_provider import FakeProvider, Reply, Text

    with FakeProvider() as fake, tempfile.TemporaryDirectory() as workspace:
        fake.responder(MODEL[family], lambda request: Reply(Text(REPLY, chunk=8)))
        os.environ["CODEX_HOME"] = workspace
        with PeakMemory().sampling() as memory:
            started = time.perf_counter()
            from massgen_tui.backends import create_backend
            from massgen_tui.backends.base import Message, TextChunk
            from massgen_tui.config.model import BackendConfig

            backend = create_backend(BackendConfig(
                type=family, family=family, model=MODEL[family], api_key="sk-bench",  # type: ignore[arg-type]
                base_url=fake.base_url(URL_KIND[family]), extra={"cwd": workspace},
            ))
            first = 0.0
            async for event in backend.stream([Message(role="user", content="What is 2+2?")], []):
                if isinstance(event, TextChunk) and not first:
                    first = time.perf_counter() - started
            total = time.perf_counter() - started
            await backend.aclose()
    return {"first_token_s": first, "total_s": total, "peak_mb": memory.peak_kb / 1024}


def _available(family: str) -> str:
    """Why ``family`` cannot be measured here, or ``""``."""
    if family == "claude_code":
        try:
            import claude_agent_sdk  # noqa: F401
        except ImportError:
            return "claude-code extra not installed"
    if family == "codex":
        cli = codex_cli()  # on PATH, $CODEX_CLI, or where the README's test command installs it
        if cli is None:
            return "codex CLI not installed (npm install --prefix .codex-cli @openai/codex)"
        os.environ["PATH"] = f"{Path(cli).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--families", default="openai,claude_code,codex")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(_one(args.one))))
        return
    print("family | first token (s) | whole reply (s) | peak memory, with children (MB) | runs")
    print("--- | --- | --- | --- | ---")
    for family in args.families.split(","):
        missing = _available(family)
        if missing:
            print(f"{family} | – | – | – | skipped: {missing}")
            continue
        results = []
        for _ in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--one", family], capture_output=True, text=True,
                                 check=True, cwd=REPO)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        median = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(f"{family} | {median['first_token_s']:.2f} | {median['total_s']:.2f} | {median['peak_mb']:.0f} | "
              f"{args.runs}")


if __name__ == "__main__":
    main()
