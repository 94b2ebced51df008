"""``run_command``: a program run in an agent's workspace, without a shell (off unless ``enable_mcp_command_line``).

The command is an argv list (a string is split like a shell would, but no shell runs). It runs in
the workspace with a small environment (no API keys), a timeout and an output limit, after
MassGen's ``command_line_allowed_commands`` / ``command_line_blocked_commands`` (regular expressions
matched at the start of the command line) and a few built-in blocks. Arguments that name a path
outside the workspace (absolute, or leaving it with ``..``) are refused. ``local`` mode is a plain
process, not a sandbox; ``docker`` mode runs it in a container with only the workspace mounted.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import signal
from pathlib import PurePosixPath
from typing import Any

from massgen_tui.backends.base import ToolSpec
from massgen_tui.config.model import CommandSettings
from massgen_tui.tools.external import ToolOutcome

DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 600.0
MAX_OUTPUT_BYTES = 64 * 1024
DEFAULT_DOCKER_IMAGE = "massgen/mcp-runtime:latest"
#: Refused whatever the config says (MassGen blocks the same kind of thing by default).
BUILT_IN_BLOCKS = (r"sudo\b", r"su\b", r"rm\s+-[a-z]*r[a-z]*f?\s+/\s*$", r"(shutdown|reboot|halt|mkfs)\b")
#: The only environment variables a command sees (no API keys, no tokens).
_ENV_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM", "TMPDIR", "USER", "LOGNAME")

RUN_COMMAND_SPEC = ToolSpec(
    name="run_command",
    description="Run a program in your workspace without a shell: command is the argv list, e.g. "
                "['python', 'main.py']. Output is cut at 64 KB; timeout in seconds (default 60).",
    parameters={
        "type": "object",
        "properties": {
            "command": {"type": "array", "items": {"type": "string"}},
            "timeout": {"type": "number"},
        },
        "required": ["command"],
    },
)


class CommandRunner:
    """Runs ``run_command`` calls for one workspace under one backend's :class:`CommandSettings`."""

    def __init__(self, workspace: str, settings: CommandSettings) -> None:
        self.workspace = workspace
        self.settings = settings

    async def call(self, arguments: dict[str, Any]) -> ToolOutcome:
        """Run the command; every refusal and failure is an error outcome."""
        try:
            argv = _argv(arguments.get("command"))
            timeout = _timeout(arguments.get("timeout"))
            self._check(argv)
        except _Refused as exc:
            return ToolOutcome(f"run_command refused: {exc}. Nothing was run.", is_error=True)
        if self.settings.mode == "docker":
            engine = await docker_problem()
            if engine:
                return ToolOutcome(f"run_command: command_line_execution_mode is docker, but {engine}. Start "
                                   "Docker, or set command_line_execution_mode: local. Nothing was run.",
                                   is_error=True)
            argv = self._in_container(argv)
        elif self.settings.mode != "local":
            return ToolOutcome(f"run_command: command_line_execution_mode {self.settings.mode!r} is not supported "
                               "by massgen-tui (use local or docker). Nothing was run.", is_error=True)
        return await _run(argv, self.workspace, timeout)

    def _check(self, argv: list[str]) -> None:
        line = shlex.join(argv)
        for pattern in (*BUILT_IN_BLOCKS, *self.settings.blocked):
            if re.match(pattern, line):
                raise _Refused(f"{line!r} is blocked (pattern {pattern!r})")
        allowed = self.settings.allowed
        if allowed is not None and not any(re.match(pattern, line) for pattern in allowed):
            raise _Refused(f"{line!r} is not in command_line_allowed_commands")
        for argument in argv[1:]:
            if _leaves(argument):
                raise _Refused(f"argument {argument!r} names a path outside the workspace")

    def _in_container(self, argv: list[str]) -> list[str]:
        s = self.settings
        options = ["--network", s.docker_network_mode or "none"]
        if hasattr(os, "getuid"):  # files the command makes belong to the user, not to root
            options += ["--user", f"{os.getuid()}:{os.getgid()}"]
        options += ["--memory", s.docker_memory_limit] if s.docker_memory_limit else []
        options += ["--cpus", f"{s.docker_cpu_limit:g}"] if s.docker_cpu_limit else []
        return ["docker", "run", "--rm", "-i", *options, "-v", f"{os.path.abspath(self.workspace)}:/workspace",
                "-w", "/workspace", s.docker_image or DEFAULT_DOCKER_IMAGE, *argv]


class _Refused(Exception):
    """A command that may not run."""


def _argv(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = shlex.split(value)
        except ValueError as exc:
            raise _Refused(f"cannot split the command: {exc}") from exc
    if not isinstance(value, list) or not value or not all(isinstance(item, str) for item in value):
        raise _Refused("command must be a non-empty list of strings")
    if any("\0" in item for item in value):
        raise _Refused("the command contains a NUL byte")
    return value


def _timeout(value: Any) -> float:
    if value is None:
        return DEFAULT_TIMEOUT
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise _Refused("timeout must be a positive number of seconds")
    return min(float(value), MAX_TIMEOUT)


def _leaves(argument: str) -> bool:
    """Whether ``argument`` (or the value of ``--opt=value``) is a path outside the workspace."""
    value = argument.split("=", 1)[1] if argument.startswith("-") and "=" in argument else argument
    if value.startswith(("/", "~")):
        return True
    depth = 0
    for part in PurePosixPath(value).parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return True
    return False


async def docker_problem() -> str:
    """Why no Docker engine can run a container (``""`` when one answers)."""
    if shutil.which("docker") is None:
        return "no docker command is installed"
    try:
        process = await asyncio.create_subprocess_exec(
            "docker", "info", "--format", "{{.ServerVersion}}",
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 10)
    except (OSError, asyncio.TimeoutError) as exc:
        return f"the Docker engine does not answer ({exc or 'timeout'})"
    if process.returncode != 0:
        return f"the Docker engine does not answer ({err.decode(errors='replace').strip()[:200]})"
    return ""


async def _run(argv: list[str], cwd: str, timeout: float) -> ToolOutcome:
    env = {key: os.environ[key] for key in _ENV_KEPT if key in os.environ}
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT, start_new_session=True)
    except OSError as exc:
        return ToolOutcome(f"run_command: could not start {argv[0]!r}: {exc.strerror or exc}", is_error=True)
    assert process.stdout is not None
    kept = bytearray()
    cut = 0

    async def read() -> None:
        nonlocal cut
        assert process.stdout is not None
        while chunk := await process.stdout.read(65536):
            room = MAX_OUTPUT_BYTES - len(kept)
            kept.extend(chunk[:max(room, 0)])
            cut += max(len(chunk) - max(room, 0), 0)
        await process.wait()

    try:
        await asyncio.wait_for(read(), timeout)
    except asyncio.TimeoutError:
        _kill(process)
        await process.wait()
        return ToolOutcome(f"run_command: {shlex.join(argv)!r} timed out after {timeout:g}s and was stopped.\n"
                           + kept.decode(errors="replace"), is_error=True)
    text = kept.decode(errors="replace") + (f"\n... {cut} more bytes of output cut" if cut else "")
    code = process.returncode
    return ToolOutcome(f"exit code {code}\n{text}", is_error=code != 0)


def _kill(process: asyncio.subprocess.Process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
