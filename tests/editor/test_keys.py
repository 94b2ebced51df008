"""Where an agent's API key comes from, said without the key; typed keys go to the user's .env."""

from __future__ import annotations

import stat

from dotenv import dotenv_values

from massgen_tui.config import PROVIDERS
from massgen_tui.editor.keys import KeyEnvironment, key_status, suggested_variable

SECRET = "sk-live-THIS-MUST-NEVER-SHOW-0123"


def test_a_key_from_the_environment(keys):
    keys.environ = {"ANTHROPIC_API_KEY": SECRET}
    status = key_status({"type": "claude", "model": "claude-haiku-4-5"}, "c", keys)
    assert status.available and status.text == "API key: ANTHROPIC_API_KEY from the environment"


def test_a_key_from_the_working_directory_env_file_wins_over_the_users(keys):
    keys.config_dir.mkdir()
    (keys.config_dir / ".env").write_text(f"GEMINI_API_KEY={SECRET}\n")
    (keys.cwd / ".env").write_text(f"GEMINI_API_KEY={SECRET}2\n")
    status = key_status({"type": "gemini", "model": "gemini-2.5-flash"}, "g", keys)
    assert status.text == f"API key: GEMINI_API_KEY from {keys.cwd / '.env'}"
    assert keys.merged()["GEMINI_API_KEY"] == SECRET + "2"


def test_a_key_written_in_the_file_is_reported_hidden(keys):
    status = key_status({"type": "openai", "model": "gpt-5", "api_key": SECRET}, "g", keys)
    assert status.available and status.text == "API key: written in this file (hidden)"
    assert SECRET not in repr(status)


def test_a_reference_to_an_unset_variable_is_missing(keys):
    status = key_status({"type": "openai", "model": "gpt-5", "api_key": "${TEAM_KEY}"}, "g", keys)
    assert not status.available and status.text == "API key: ${TEAM_KEY} is not set"
    assert status.variable == "TEAM_KEY"


def test_a_missing_key_names_the_variables_that_would_supply_it(keys):
    status = key_status({"model": "gemini-2.5-pro"}, "g", keys)  # type inferred from the model
    assert not status.available
    assert status.text == "API key: missing (set GEMINI_API_KEY or GOOGLE_API_KEY)"
    assert status.variable == "GEMINI_API_KEY"


def test_local_servers_need_no_key(keys):
    status = key_status({"type": "chatcompletion", "model": "llama3.2", "base_url": "http://localhost:11434/v1"},
                        "l", keys)
    assert status.available and status.text == "API key: not needed (local server)"
    assert key_status({"type": "ollama", "model": "llama3.2"}, "l", keys).available


def test_an_unknown_type_asks_for_the_type_first(keys):
    assert key_status({"type": "claud", "model": "x"}, "c", keys).text == "API key: choose a backend type first"


def test_an_unknown_remote_host_gets_a_variable_named_after_the_agent():
    preset = PROVIDERS["chatcompletion"]
    assert suggested_variable(preset, "https://llm.example.com/v1", "my-agent 2") == "MY_AGENT_2_API_KEY"
    assert suggested_variable(preset, "https://api.groq.com/openai/v1", "x") == "GROQ_API_KEY"


def test_storing_a_key_writes_a_private_env_file_and_the_status_follows(keys):
    keys.store("ANTHROPIC_API_KEY", SECRET)
    dotenv = keys.config_dir / ".env"
    assert dotenv_values(dotenv) == {"ANTHROPIC_API_KEY": SECRET}
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    status = key_status({"type": "claude", "model": "claude-haiku-4-5", "api_key": "${ANTHROPIC_API_KEY}"}, "c", keys)
    assert status.available and status.text == f"API key: ANTHROPIC_API_KEY from {dotenv}"
    keys.store("OTHER_KEY", "x")  # a second key is added, the first kept
    assert dotenv_values(dotenv) == {"ANTHROPIC_API_KEY": SECRET, "OTHER_KEY": "x"}


def test_the_default_environment_is_the_process_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XAI_API_KEY", SECRET)
    keys = KeyEnvironment(cwd=tmp_path, config_dir=tmp_path)
    status = key_status({"type": "grok", "model": "grok-4"}, "g", keys)
    assert status.text == "API key: XAI_API_KEY from the environment"
