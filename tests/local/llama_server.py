"""llama.cpp's own OpenAI-compatible HTTP server on a loopback port, run through xllamacpp.

``python -m tests.local.llama_server MODEL.gguf [--parallel N] [--n-ctx N]`` prints the base URL
(``http://127.0.0.1:PORT/v1``) on its first line once the model is loaded, then serves until it is
killed or its standard input closes. Tests and benchmarks use it as a real server nobody here wrote.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def serve(model: Path, parallel: int, n_ctx: int) -> None:
    """Load ``model``, print the base URL, serve until stdin closes."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_parallel = parallel
    params.n_ctx = n_ctx * parallel
    params.verbosity = -1
    params.warmup = False
    server = xllamacpp.Server(params)
    print(f"{server.listening_address}/v1", flush=True)
    sys.stdin.read()  # until the parent closes our stdin (or kills us)
    del server


@contextmanager
def llama_server(model: Path, parallel: int = 3, n_ctx: int = 2048) -> Iterator[tuple[str, subprocess.Popen]]:
    """A running server: yields its base URL and process; stops it afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.local.llama_server", str(model), "--parallel", str(parallel),
         "--n-ctx", str(n_ctx)],
        cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"llama.cpp server did not start (printed {url!r})")
        yield url, process
    finally:
        process.kill()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--parallel", type=int, default=3)
    parser.add_argument("--n-ctx", type=int, default=2048)
    args = parser.parse_args()
    serve(args.model, args.parallel, args.n_ctx)


if __name__ == "__main__":
    main()
