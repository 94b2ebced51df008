"""The environment a config sees: .env files under the real environment, and ${VAR} substitution."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from massgen_tui import paths
from massgen_tui.config import load_config, load_env
from massgen_tui.config.env import substitute

from .helpers import write


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user config directory inside the test's temporary directory."""
    directory = tmp_path / "user-config"
    directory.mkdir()
    monkeypatch.setattr(paths, "user_config_dir", lambda: directory)
    return directory


def test_dotenv_files_supply_keys_but_the_real_environment_wins(workdir: Path, user_dir: Path) -> None:
    (user_dir / ".env").write_text("ANTHROPIC_API_KEY=from-user-dir\nGEMINI_API_KEY=gem-user\nXAI_API_KEY=xai-user\n")
    (workdir / ".env").write_text("ANTHROPIC_API_KEY=from-cwd\nGEMINI_API_KEY=gem-cwd\n")
    env = load_env(workdir, {"ANTHROPIC_API_KEY": "from-real-env"})
    assert env == {"ANTHROPIC_API_KEY": "from-real-env", "GEMINI_API_KEY": "gem-cwd", "XAI_API_KEY": "xai-user"}


def test_load_config_reads_dotenv_files_by_default(workdir: Path, user_dir: Path, monkeypatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    (workdir / ".env").write_text("ANTHROPIC_API_KEY=sk-ant-from-dotenv\n")
    path = write("c.yaml", "agent: {backend: {type: claude, model: claude-haiku-4-5}}\n")
    backend = load_config(path).config.agents[0].backend
    assert (backend.api_key, backend.api_key_env) == ("sk-ant-from-dotenv", "ANTHROPIC_API_KEY")
    assert "ANTHROPIC_API_KEY" not in os.environ


def test_dotenv_in_another_cwd(tmp_path: Path, user_dir: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("MODEL=gpt-5-mini\n")
    assert load_env(project, {})["MODEL"] == "gpt-5-mini"


def test_missing_dotenv_files_are_fine(workdir: Path, user_dir: Path) -> None:
    assert load_env(workdir, {"A": "1"}) == {"A": "1"}


def test_substitution_in_any_string_value() -> None:
    path = write(
        "vars.yaml",
        """
        agent:
          id: ${AGENT_NAME}
          system_message: "You work for ${TEAM:-nobody} on ${TOPIC}."
          backend:
            type: ${BACKEND}
            model: ${MODEL:-gpt-5-mini}
        orchestrator:
          voting_sensitivity: ${SENSITIVITY}
        """,
    )
    env = {"AGENT_NAME": "scout", "TOPIC": "maps", "BACKEND": "openai", "SENSITIVITY": "strict", "OPENAI_API_KEY": "k"}
    config = load_config(path, env=env).config
    agent = config.agents[0]
    assert (agent.id, agent.system_message) == ("scout", "You work for nobody on maps.")
    assert (agent.backend.type, agent.backend.model) == ("openai", "gpt-5-mini")
    assert config.orchestrator.voting_sensitivity == "strict"


def test_unset_variable_in_an_unused_key_is_left_as_written() -> None:
    path = write("cwd.yaml", "agent: {backend: {type: vllm, model: m, session_storage_base: '${cwd}/work'}}\n")
    assert load_config(path, env={}).config.agents[0].backend.extra == {"session_storage_base": "${cwd}/work"}


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A}", {"A": "1"}, ("1", [])),
        ("x-${A}-${B}", {"A": "1", "B": "2"}, ("x-1-2", [])),
        ("${A:-fallback}", {}, ("fallback", [])),
        ("${A:-fallback}", {"A": ""}, ("fallback", [])),
        ("${A}", {"A": ""}, ("", [])),
        ("${A} ${B}", {}, ("${A} ${B}", ["A", "B"])),
        ("$A and ${not valid}", {"A": "1"}, ("$A and ${not valid}", [])),
    ],
)
def test_substitute(text: str, env: dict[str, str], expected: tuple[str, list[str]]) -> None:
    assert substitute(text, env) == expected
