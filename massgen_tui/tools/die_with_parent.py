"""Launcher for stdio MCP servers on Linux: the server and everything it starts die with massgen-tui.

Run as ``python -I -S die_with_parent.py <parent pid> <command> [args...]`` in a process group of
its own (the MCP SDK starts servers with a new session). It asks the kernel for SIGUSR1 when its
parent dies (``PR_SET_PDEATHSIG``), runs the command as a child with the same stdin/stdout/stderr,
and waits for it. When the parent dies (even by SIGKILL) or the server exits, it kills its whole
process group, so grandchildren (``npx`` -> ``node``, ``uvx`` -> ``python``) go too.

SIGTERM and SIGINT are caught and ignored here (handlers, not SIG_IGN, so the server does not
inherit them): the SDK's shutdown signals the whole group, the server exits, then this process does.
Standard library only, and no imports from massgen_tui: it starts in a few milliseconds.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def _kill_group() -> None:
    """SIGKILL this process group, this launcher included, if it leads a group of its own."""
    if os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)


def _parent_died(*_: object) -> None:
    _kill_group()
    os._exit(1)


def main(argv: list[str]) -> int:
    """Run ``argv[2:]`` as a child that dies with the process ``argv[1]``; returns its exit status."""
    parent, command = int(argv[1]), argv[2:]
    signal.signal(signal.SIGUSR1, _parent_died)
    signal.signal(signal.SIGTERM, lambda *_: None)
    signal.signal(signal.SIGINT, lambda *_: None)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGUSR1) == 0 and os.getppid() != parent:
        _parent_died()  # it died before the request took effect
    try:
        child = subprocess.Popen(command)
    except OSError as exc:
        print(f"cannot start {command[0]}: {exc.strerror}", file=sys.stderr)
        return 127
    status = child.wait()
    _kill_group()  # what the server left behind
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
