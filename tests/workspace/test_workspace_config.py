"""MassGen's workspace keys load without "unused" warnings, are read into the config, and are checked."""

from __future__ import annotations

import pytest

from massgen_tui.config import load_config
from massgen_tui.config.model import ContextPath
from massgen_tui.errors import ConfigError
from tests.config.conftest import workdir  # noqa: F401 -- autouse: each test in a fresh current folder
from tests.config.helpers import KEYS, write

# As MassGen 0.1.97 ships them (tools/filesystem/gemini_gpt5nano_protected_paths.yaml and
# skills/skills_existing_filesystem.yaml, the backend types changed to ones massgen-tui runs).
PROTECTED_PATHS = """
agents:
  - id: "agent_a"
    backend:
      type: "gemini"
      model: "gemini-2.5-flash"
      cwd: "workspace1"
  - id: "agent_b"
    backend:
      type: "openai"
      model: "gpt-5-nano"
      text:
        verbosity: "medium"
      cwd: "workspace2"
      enable_mcp_command_line: true
      command_line_execution_mode: "docker"
      command_line_docker_image: massgen/mcp-runtime-sudo:latest
      command_line_docker_enable_sudo: true
      command_line_docker_network_mode: bridge
      command_line_docker_credentials: {mount: [ssh_keys]}
      command_line_allowed_commands: ["python.*", "ls"]
      command_line_blocked_commands: ["rm .*"]
orchestrator:
  snapshot_storage: "snapshots"
  agent_temporary_workspace: "temp_workspaces"
  context_paths:
    - path: "massgen/configs/resources/v0.0.21-example"
      permission: "write"
      protected_paths:
        - "index.html"
    - path: "massgen"
      permission: "read"
"""


def test_massgen_workspace_keys_load_read_and_without_warnings() -> None:
    loaded = load_config(write("ws.yaml", PROTECTED_PATHS), env=KEYS)
    assert [str(w) for w in loaded.warnings] == []
    a, b = loaded.config.agents
    assert (a.backend.cwd, b.backend.cwd) == ("workspace1", "workspace2")
    assert not a.backend.commands.enabled
    commands = b.backend.commands
    assert (commands.enabled, commands.mode, commands.docker_image, commands.docker_network_mode) == \
        (True, "docker", "massgen/mcp-runtime-sudo:latest", "bridge")
    assert (commands.allowed, commands.blocked) == (["python.*", "ls"], ["rm .*"])
    orchestrator = loaded.config.orchestrator
    assert (orchestrator.snapshot_storage, orchestrator.agent_temporary_workspace) == ("snapshots", "temp_workspaces")
    assert orchestrator.context_paths == [
        ContextPath("massgen/configs/resources/v0.0.21-example", "write", ("index.html",)),
        ContextPath("massgen", "read"),
    ]


def test_two_agents_naming_one_workspace_each_get_their_own_folder_with_a_warning() -> None:
    text = PROTECTED_PATHS.replace('cwd: "workspace2"', 'cwd: "./workspace1"')
    loaded = load_config(write("shared.yaml", text), env=KEYS)
    assert [a.backend.cwd for a in loaded.config.agents] == ["workspace1", "workspace1_agent_b"]
    assert any("agents[1].backend.cwd: agents 'agent_a' and 'agent_b' name the same workspace 'workspace1'; "
               "'agent_b' works in 'workspace1_agent_b'" in str(w) for w in loaded.warnings)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'permission: "write"',
            'permission: "rw"',
            "context_paths[0].permission: expected one of read, write, got 'rw'",
        ),
        (
            'command_line_allowed_commands: ["python.*", "ls"]',
            'command_line_allowed_commands: ["(unclosed"]',
            "command_line_allowed_commands[0]: not a regular expression",
        ),
        (
            '- path: "massgen"\n      permission: "read"',
            '- permission: "read"',
            "context_paths[1]: missing required key 'path'",
        ),
    ],
)
def test_bad_workspace_values_are_errors_at_their_key(old, new, message) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write("bad.yaml", PROTECTED_PATHS.replace(old, new)), env=KEYS)
    assert message in str(raised.value)


def test_an_unsupported_execution_mode_loads_with_a_warning() -> None:
    loaded = load_config(write("srt.yaml", PROTECTED_PATHS.replace('mode: "docker"', 'mode: "srt"')), env=KEYS)
    assert [str(w).split(": warning: ")[1] for w in loaded.warnings] == [
        "agents[1].backend.command_line_execution_mode: 'srt' is not one of local, docker; used as written"]


@pytest.mark.parametrize("cwd", [".", "..", "/"])
def test_a_workspace_may_not_be_the_working_folder_or_above_it(cwd) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write("here.yaml", PROTECTED_PATHS.replace('cwd: "workspace1"', f'cwd: "{cwd}"')), env=KEYS)
    assert f"agents[0].backend.cwd: '{cwd}' is the working folder or holds it" in str(raised.value)
