"""Helpers for the CLI-agent tests: where the real CLIs are, and the process table."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def claude_cli() -> str | None:
    """The Claude Code CLI bundled in claude-agent-sdk, or None without the claude-code extra."""
    try:
        import claude_agent_sdk
    except ImportError:
        return None
    bundled = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    return str(bundled) if bundled.exists() else None


#: Where the README's test command installs the Codex CLI (``npm install --prefix .codex-cli @openai/codex``).
LOCAL_CODEX = Path(__file__).resolve().parents[2] / ".codex-cli" / "node_modules" / ".bin" / "codex"


def codex_cli() -> str | None:
    """The Codex CLI in ``$CODEX_CLI``, on PATH, or where the README's test command puts it."""
    return os.environ.get("CODEX_CLI") or shutil.which("codex") or (str(LOCAL_CODEX) if LOCAL_CODEX.is_file() else None)


needs_claude = pytest.mark.skipif(
    claude_cli() is None, reason="the claude-code extra is not installed: pip install -e '.[claude-code]'"
)
needs_codex = pytest.mark.skipif(
    codex_cli() is None, reason="the Codex CLI is not installed: npm install --prefix .codex-cli @openai/codex"
)


def descendants(pid: int | None = None) -> list[tuple[int, str]]:
    """Every living descendant process of ``pid`` (default: this one) as ``(pid, command line)``, from /proc."""
    root = os.getpid() if pid is None else pid
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if stat[0] == "Z":
                continue
            parents[int(entry.name)] = int(stat[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError):
            continue
    found: list[tuple[int, str]] = []
    frontier = [root]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append((child, commands[child]))
                frontier.append(child)
    return found


def cli_processes(marker: str) -> list[tuple[int, str]]:
    """This process's descendants whose command line contains ``marker`` (e.g. ``_bundled/claude``)."""
    return [(pid, command) for pid, command in descendants() if marker in command]
