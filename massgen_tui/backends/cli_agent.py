"""What the CLI-agent backends (Claude Code, Codex) share: the workspace, the prompt, errors, child processes.

A CLI agent runs its own tool loop in its workspace (``backend.cwd``); each :meth:`Backend.stream`
call starts the CLI once with the whole conversation written as one prompt.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from massgen_tui.backends.base import Message
from massgen_tui.config.model import BackendConfig

#: Seconds without any output from the CLI before the call is given up (``idle_timeout_seconds``).
DEFAULT_IDLE_TIMEOUT = 300.0


def workspace(config: BackendConfig) -> Path:
    """The agent's ``cwd`` (relative to the working folder), created if missing; the working folder without one."""
    written = config.cwd
    folder = Path(str(written)).expanduser().absolute() if written else Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def idle_timeout(config: BackendConfig) -> float:
    """``idle_timeout_seconds`` of the backend, else :data:`DEFAULT_IDLE_TIMEOUT`."""
    value = config.extra.get("idle_timeout_seconds")
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_IDLE_TIMEOUT


def split_prompt(messages: list[Message]) -> tuple[str, str]:
    """The system text and the prompt for one CLI run.

    The first user message is the prompt; what follows it (a rejected reply and the feedback on
    it) is appended as a short transcript, since each run starts a fresh CLI session.
    """
    system = "\n\n".join(m.content for m in messages if m.role == "system" and m.content)
    rest = [m for m in messages if m.role != "system"]
    parts: list[str] = []
    for message in rest:
        if message.role == "user":
            parts.append(message.content if not parts else f"User: {message.content}")
        elif message.role == "assistant":
            lines = [f"Your previous reply: {message.content}"] if message.content else []
            lines += [f"You called {c.name} with {json.dumps(c.arguments, ensure_ascii=False)}."
                      for c in message.tool_calls]
            parts.append("\n".join(lines))
        else:
            parts.append(f"Result of {message.name or 'the tool'}: {message.content}")
    return system, "\n\n".join(p for p in parts if p)


def stop_process(pid: int | None, sig: signal.Signals = signal.SIGKILL) -> None:
    """Signal a CLI child that is still running (its own children too, when it leads a process group)."""
    if pid is None:
        return
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
