"""``run_command``: argv without a shell, in the workspace, with MassGen's lists, a timeout and an output limit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from massgen_tui.config.model import CommandSettings
from massgen_tui.workspace import commands
from massgen_tui.workspace.commands import CommandRunner


def runner(tmp_path: Path, **settings) -> CommandRunner:
    (tmp_path / "ws").mkdir(exist_ok=True)
    return CommandRunner(str(tmp_path / "ws"), CommandSettings(enabled=True, **settings))


async def test_runs_in_the_workspace_without_a_shell(tmp_path) -> None:
    outcome = await runner(tmp_path).call({"command": [sys.executable, "-c", "import os; print(os.getcwd())"]})
    assert outcome.text == f"exit code 0\n{tmp_path / 'ws'}\n" and not outcome.is_error
    no_shell = await runner(tmp_path).call({"command": "echo $HOME; touch pwned"})
    assert no_shell.text == "exit code 0\n$HOME; touch pwned\n" and not (tmp_path / "ws" / "pwned").exists()


async def test_a_failing_command_is_an_error_with_its_exit_code(tmp_path) -> None:
    outcome = await runner(tmp_path).call({"command": [sys.executable, "-c", "import sys; sys.exit(3)"]})
    assert outcome.is_error and outcome.text.startswith("exit code 3")
    missing = await runner(tmp_path).call({"command": ["no-such-program-here"]})
    assert missing.is_error and "could not start 'no-such-program-here'" in missing.text


@pytest.mark.parametrize(("settings", "command", "why"), [
    ({"blocked": [r"rm\b"]}, ["rm", "-rf", "x"], "is blocked"),
    ({"allowed": [r"python"]}, ["ls"], "not in command_line_allowed_commands"),
    ({}, ["sudo", "ls"], "is blocked"),
    ({}, ["cat", "/etc/passwd"], "outside the workspace"),
    ({}, ["cat", "../secret"], "outside the workspace"),
    ({}, ["cp", "a", "--target-directory=/tmp"], "outside the workspace"),
    ({}, [], "non-empty list"),
])
async def test_refused_commands_run_nothing(tmp_path, settings, command, why) -> None:
    outcome = await runner(tmp_path, **settings).call({"command": command})
    assert outcome.is_error and why in outcome.text and "Nothing was run" in outcome.text


async def test_a_command_over_its_timeout_is_stopped(tmp_path) -> None:
    outcome = await runner(tmp_path).call({"command": [sys.executable, "-c", "import time; time.sleep(30)"],
                                           "timeout": 0.5})
    assert outcome.is_error and "timed out after 0.5s" in outcome.text


async def test_output_is_cut_at_the_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(commands, "MAX_OUTPUT_BYTES", 1000)
    outcome = await runner(tmp_path).call({"command": [sys.executable, "-c", "print('x' * 5000)"]})
    assert outcome.text.split("\n")[1] == "x" * 1000 and outcome.text.endswith("4001 more bytes of output cut")


async def test_docker_mode_without_an_engine_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no docker command anywhere
    outcome = await runner(tmp_path, mode="docker").call({"command": ["ls"]})
    assert outcome.is_error
    assert outcome.text == ("run_command: command_line_execution_mode is docker, but no docker command is installed. "
                            "Start Docker, or set command_line_execution_mode: local. Nothing was run.")


async def test_docker_mode_runs_the_command_in_a_container_with_only_the_workspace(tmp_path, monkeypatch) -> None:
    """A stand-in ``docker`` that answers ``info`` and prints the ``run`` it was given."""
    fake_docker = tmp_path / "bin" / "docker"
    fake_docker.parent.mkdir()
    fake_docker.write_text(f"#!{sys.executable}\nimport sys\nprint(' '.join(sys.argv[1:]))\n")
    fake_docker.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_docker.parent))
    outcome = await runner(tmp_path, mode="docker", docker_image="img:1", docker_cpu_limit=2.0).call(
        {"command": ["python", "main.py"]})
    user = f"{os.getuid()}:{os.getgid()}"
    assert outcome.text == (f"exit code 0\nrun --rm -i --network none --user {user} --cpus 2 "
                            f"-v {tmp_path / 'ws'}:/workspace -w /workspace img:1 python main.py\n")


async def test_srt_mode_is_refused_clearly(tmp_path) -> None:
    outcome = await runner(tmp_path, mode="srt").call({"command": ["ls"]})
    assert outcome.is_error and "'srt' is not supported" in outcome.text
