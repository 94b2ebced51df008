"""Run the fake provider as its own process: ``python -m tests.fake_provider --port 0 --scenario consensus``.

The first stdout line is the server's root URL (OpenAI clients append ``/v1``); it serves until
SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import threading

from . import FakeProvider, consensus_responder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fake_provider", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--scenario", choices=["consensus"], default="consensus")
    parser.add_argument("--answer-text", default="The answer is 4.")
    parser.add_argument("--chunk", type=int, default=8, help="characters per streamed text chunk")
    parser.add_argument("--chunk-delay", type=float, default=0.0, help="seconds between chunks")
    args = parser.parse_args(argv)

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with FakeProvider(args.host, args.port) as provider:
        provider.default(consensus_responder(args.answer_text, args.chunk, args.chunk_delay))
        print(provider.url, flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
