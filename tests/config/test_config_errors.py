"""What a user reads when a config is wrong: every problem, located at file:line:column and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from massgen_tui.config import check_text, load_config
from massgen_tui.errors import ConfigError

from .helpers import KEYS, messages, write


def test_wrong_type_names_file_line_column_and_key_path() -> None:
    path = write(
        "team.yaml",
        """
        agents:
          - id: a
            backend: {type: openai, model: gpt-5-mini}
          - id: b
            backend:
              type: claude
              temperature: hot
              model: claude-sonnet-4-5
        """,
    )
    assert messages(path) == ["team.yaml:7:20: error: agents[1].backend.temperature: expected a number, got 'hot'"]


def test_every_error_is_reported_at_once() -> None:
    path = write(
        "many.yaml",
        """
        agents:
          - id: a
            backend:
              type: openai
              model: gpt-5-mini
              max_tokens: 0
              top_p: 2
              enable_web_search: "yes"
              allowed_tools: search
          - id: b
            system_message: [be, nice]
            backend: {type: gemini, model: 25}
        timeout_settings: {orchestrator_timeout_seconds: 0}
        orchestrator:
          max_new_answers_per_agent: 1.5
          answer_novelty_requirement: hard
        ui: {logging_enabled: sometimes}
        """,
    )
    assert messages(path) == [
        "many.yaml:6:19: error: agents[0].backend.max_tokens: expected an integer >= 1, got 0",
        "many.yaml:7:14: error: agents[0].backend.top_p: expected a number between 0 and 1, got 2",
        "many.yaml:8:26: error: agents[0].backend.enable_web_search: expected true or false, got 'yes'",
        "many.yaml:9:22: error: agents[0].backend.allowed_tools: expected a list of strings, got 'search'",
        "many.yaml:11:21: error: agents[1].system_message: expected a string, got a list",
        "many.yaml:12:36: error: agents[1].backend.model: expected a string, got 25",
        "many.yaml:13:50: error: timeout_settings.orchestrator_timeout_seconds: expected a number > 0, got 0",
        "many.yaml:15:30: error: orchestrator.max_new_answers_per_agent: expected an integer, got 1.5",
        "many.yaml:16:31: error: orchestrator.answer_novelty_requirement: "
        "expected one of lenient, balanced, strict, got 'hard'",
        "many.yaml:17:23: error: ui.logging_enabled: expected true or false, got 'sometimes'",
    ]


def test_yaml_syntax_error_is_one_clear_message() -> None:
    path = write(
        "broken.yaml",
        """
        agents:
          - id: a
            backend: {type: openai, model: gpt-5-mini
          - id: b
        """,
    )
    assert messages(path) == [
        "broken.yaml:4:7: error: invalid YAML: expected ',' or '}', but got ':' "
        "(while parsing a flow mapping that started at line 3)"
    ]


def test_json_syntax_error() -> None:
    path = write("team.json", '{\n  "agents": [\n    {id: "a"}\n  ]\n}\n')
    assert messages(path) == ["team.json:3:6: error: invalid JSON: Expecting property name enclosed in double quotes"]


def test_json_errors_are_located_too() -> None:
    path = write("team.json", '{"agents": [\n\t{"id": "a", "backend": {"type": "openai", "model": "gpt-5-mini",\n'
                              '\t\t"temperature": "warm"}}]}\n')
    assert messages(path) == ["team.json:3:18: error: agents[0].backend.temperature: expected a number, got 'warm'"]


def test_missing_api_key_names_the_variable_and_the_agent() -> None:
    path = write(
        "team.yaml",
        """
        # a team
        agents:
          - id: claude_agent
            backend:
              type: claude
              model: claude-sonnet-4-5
          - id: gemini_agent
            backend: {type: gemini, model: gemini-2.5-flash}
        """,
    )
    assert messages(path, env={}) == [
        "team.yaml:4:5: error: agents[0].backend: no API key for agent 'claude_agent' (claude): "
        "set ANTHROPIC_API_KEY or api_key",
        "team.yaml:8:5: error: agents[1].backend: no API key for agent 'gemini_agent' (gemini): "
        "set GEMINI_API_KEY (or GOOGLE_API_KEY) or api_key",
    ]


def test_gemini_accepts_google_api_key() -> None:
    path = write("g.yaml", "agent: {backend: {type: gemini, model: gemini-2.5-flash}}\n")
    backend = load_config(path, env={"GOOGLE_API_KEY": "g-key"}).config.agents[0].backend
    assert (backend.api_key, backend.api_key_env) == ("g-key", "GOOGLE_API_KEY")


@pytest.mark.parametrize(
    "base_url",
    [
        "http://localhost:11434/v1",
        "http://127.0.0.1:8000/v1",
        "http://[::1]:8000/v1",
        "http://10.1.2.3/v1",
        "http://192.168.1.20:1234/v1",
        "http://gpu-box.local:8000/v1",
    ],
)
def test_local_base_url_needs_no_key(base_url: str) -> None:
    path = write("local.yaml", f"agent: {{backend: {{type: chatcompletion, model: m, base_url: '{base_url}'}}}}\n")
    backend = load_config(path, env={"OPENAI_API_KEY": "sk-must-not-leak"}).config.agents[0].backend
    assert (backend.base_url, backend.api_key) == (base_url, None)


@pytest.mark.parametrize("backend_type", ["lmstudio", "vllm", "sglang", "ollama"])
def test_keyless_presets_need_no_key(backend_type: str) -> None:
    path = write("local.yaml", f"agent: {{backend: {{type: {backend_type}, model: m}}}}\n")
    assert load_config(path, env={}).config.agents[0].backend.api_key is None


def test_chatcompletion_sends_a_provider_key_only_to_that_provider() -> None:
    path = write(
        "cc.yaml",
        """
        agents:
          - id: cerebras
            backend: {type: chatcompletion, model: llama3.1-8b, base_url: "https://api.cerebras.ai/v1"}
          - id: elsewhere
            backend: {type: chatcompletion, model: m, base_url: "https://llm.example.com/v1"}
        """,
    )
    assert messages(path, env={"OPENAI_API_KEY": "sk-openai", "CEREBRAS_API_KEY": "csk"}) == [
        "cc.yaml:5:5: error: agents[1].backend: no API key for agent 'elsewhere' (chatcompletion): "
        "set api_key (no environment variable is used for this base_url)"
    ]
    path.write_text(path.read_text().replace("base_url: \"https://llm.example.com/v1\"", "api_key: k2"))
    first, second = load_config(path, env={"OPENAI_API_KEY": "sk-openai", "CEREBRAS_API_KEY": "csk"}).config.agents
    assert (first.backend.api_key, first.backend.api_key_env) == ("csk", "CEREBRAS_API_KEY")
    assert (second.backend.base_url, second.backend.api_key) == ("https://api.openai.com/v1", "k2")


def test_azure_needs_an_endpoint() -> None:
    path = write("azure.yaml", "agent: {backend: {type: azure_openai, model: my-deployment}}\n")
    assert messages(path, env={"AZURE_OPENAI_API_KEY": "a"}) == [
        "azure.yaml:1:9: error: agent.backend: no endpoint for agent 'agent_a' (azure_openai): "
        "set AZURE_OPENAI_ENDPOINT or base_url"
    ]


def test_unknown_key_is_a_warning_with_did_you_mean() -> None:
    loaded = load_config(
        write(
            "typo.yaml",
            """
            agents:
              - id: a
                backend:
                  type: openai
                  model: gpt-5-mini
                  temprature: 0.3
                model: gpt-5-nano
            orchestrater: {}
            """,
        ),
        env=KEYS,
    )
    assert [str(w) for w in loaded.warnings] == [
        "typo.yaml:6:7: warning: agents[0].backend.temprature: unknown key 'temprature'; did you mean 'temperature'?",
        "typo.yaml:7:5: warning: agents[0].model: unknown key 'model'; it belongs in backend",
        "typo.yaml:8:1: warning: orchestrater: unknown key 'orchestrater'; did you mean 'orchestrator'?",
    ]
    assert loaded.config.agents[0].backend.extra == {"temprature": 0.3}


def test_a_misspelled_agents_key_explains_the_error() -> None:
    path = write("typo.yaml", "agnets:\n  - backend: {type: openai, model: gpt-5-mini}\n")
    assert messages(path) == [
        "typo.yaml:1:1: warning: agnets: unknown key 'agnets'; did you mean 'agents'?",
        "typo.yaml:1:1: error: no agents: add 'agents' (a list of agents) or 'agent'",
    ]


def test_unknown_backend_type_suggests_the_closest() -> None:
    path = write(
        "types.yaml",
        """
        agents:
          - backend: {type: cluade, model: claude-sonnet-4-5}
          - backend: {type: mistral, model: mistral-large}
          - backend: {type: gemini_cli, model: sonnet}
          - backend: {type: copilot}
          - backend: {type: ag2}
        """,
    )
    supported = (
        "openai, claude, gemini, azure_openai, chatcompletion, grok, zai, cerebras, together, fireworks, groq, "
        "nebius, openrouter, qwen, moonshot, nvidia_nim, poe, lmstudio, vllm, sglang, ollama, llamacpp, "
        "claude_code, codex"
    )
    assert messages(path) == [
        "types.yaml:2:21: error: agents[0].backend.type: unknown backend type 'cluade'; did you mean 'claude'?",
        f"types.yaml:3:21: error: agents[1].backend.type: unknown backend type 'mistral' (supported: {supported})",
        "types.yaml:4:21: error: agents[2].backend.type: backend type 'gemini_cli' is a MassGen backend that "
        f"this version of massgen-tui does not run (supported: {supported})",
        # one error each: no "missing required key 'model'" on top
        "types.yaml:5:21: error: agents[3].backend.type: backend type 'copilot' is a MassGen backend that "
        f"this version of massgen-tui does not run (supported: {supported})",
        "types.yaml:6:21: error: agents[4].backend.type: backend type 'ag2' is a MassGen backend that "
        f"this version of massgen-tui does not run (supported: {supported})",
    ]


def test_duplicate_agent_ids() -> None:
    path = write(
        "dupes.yaml",
        """
        agents:
          - id: twin
            backend: {type: openai, model: gpt-5-mini}
          - id: twin
            backend: {type: openai, model: gpt-5-nano}
        """,
    )
    assert messages(path) == ["dupes.yaml:4:9: error: agents[1].id: duplicate agent id 'twin' (also used by agents[0])"]


def test_agent_and_agents_together() -> None:
    path = write(
        "both.yaml",
        """
        agent: {backend: {type: openai, model: gpt-5-mini}}
        agents: [{backend: {type: openai, model: gpt-5-nano}}]
        """,
    )
    assert messages(path) == ["both.yaml:1:1: error: agent: use either 'agents' or 'agent', not both"]


def test_missing_model_and_backend() -> None:
    path = write(
        "missing.yaml",
        """
        agents:
          - id: a
            backend: {type: openai}
          - id: b
        """,
    )
    assert messages(path) == [
        "missing.yaml:3:5: error: agents[0].backend: missing required key 'model'",
        "missing.yaml:4:5: error: agents[1]: missing required key 'backend' (a mapping with 'type' and 'model')",
    ]


def test_mcp_server_errors() -> None:
    path = write(
        "mcp.yaml",
        """
        agent:
          backend:
            type: claude
            model: claude-sonnet-4-5
            mcp_servers:
              - type: stdio
                command: npx
              - name: web
                type: http
                url: https://example.com/mcp
              - name: files
                type: stdio
              - name: files
                type: streamable-http
                url: ftp://example.com
              - name: my server
                type: stdio
                command: x
        """,
    )
    assert messages(path) == [
        "mcp.yaml:6:9: error: agent.backend.mcp_servers[0]: missing required key 'name'",
        "mcp.yaml:9:15: error: agent.backend.mcp_servers[1].type: expected one of stdio, streamable-http, got 'http'",
        "mcp.yaml:11:9: error: agent.backend.mcp_servers[2]: missing required key 'command'",
        "mcp.yaml:13:9: error: agent.backend.mcp_servers[3].name: duplicate MCP server name 'files' "
        "(also used by agent.backend.mcp_servers[2])",
        "mcp.yaml:15:14: error: agent.backend.mcp_servers[3].url: expected an http:// or https:// URL, "
        "got 'ftp://example.com'",
        "mcp.yaml:16:9: error: agent.backend.mcp_servers[4].name: MCP server name 'my server' may only use "
        "letters, digits, '_' and '-'",
    ]


def test_loose_values_are_warnings_and_kept() -> None:
    loaded = load_config(
        write(
            "loose.yaml",
            """
            agent:
              backend:
                type: openai
                model: gpt-5-mini
                reasoning: {effort: extreme}
            ui: {display_type: fancy}
            """,
        ),
        env=KEYS,
    )
    assert [str(w) for w in loaded.warnings] == [
        "loose.yaml:5:25: warning: agent.backend.reasoning.effort: 'extreme' is not one of "
        "none, minimal, low, medium, high, xhigh; used as written",
        "loose.yaml:6:20: warning: ui.display_type: 'fancy' is not one of "
        "textual_terminal, rich_terminal, simple; used as written",
    ]
    assert loaded.config.agents[0].backend.reasoning_effort == "extreme"


def test_duplicate_yaml_key_is_a_warning() -> None:
    loaded = load_config(
        write("dup.yaml", "agent:\n  backend: {type: openai, model: gpt-5-mini, model: gpt-5-nano}\n"), env=KEYS
    )
    assert [str(w) for w in loaded.warnings] == [
        "dup.yaml:2:46: warning: agent.backend.model: duplicate key 'model'; the last one is used"
    ]
    assert loaded.config.agents[0].backend.model == "gpt-5-nano"


def test_control_characters_are_located() -> None:
    path = write("ctl.yaml", "agent:\n  id: a\x07b\n")
    assert messages(path) == ["ctl.yaml:2:8: error: invalid YAML: control character #x0007 is not allowed"]


def test_unreadable_file() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config("nowhere.yaml", env={})
    assert str(caught.value) == "nowhere.yaml: error: cannot read the file: No such file or directory"


def test_check_text_returns_issues_for_an_editor() -> None:
    config, issues = check_text("agent:\n  backend: {type: claude, model: claude-haiku-4-5, top_pp: 5}\n", env={})
    assert config is None
    assert [(i.level, i.line, i.column, i.key_path, i.message) for i in issues] == [
        ("error", 2, 3, "agent.backend", "no API key for agent 'agent_a' (claude): set ANTHROPIC_API_KEY or api_key"),
        ("warning", 2, 52, "agent.backend.top_pp", "unknown key 'top_pp'; did you mean 'top_p'?"),
    ]


def test_check_text_can_skip_key_checks() -> None:
    config, issues = check_text(
        "agent:\n  backend: {type: azure_openai, model: d, api_key: '${AZ_KEY}'}\n", env={}, check_keys=False
    )
    assert issues == []
    assert config is not None and config.agents[0].backend.api_key is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- a\n- b\n",
        "agents: 5\n",
        "agents: [5, null, [1]]\n",
        "{",
        "agents:\n\t- x\n",
        "&a [*a]\n",
        "agent: &a {backend: {type: openai, model: gpt-5-mini, loop: *a}}\n",
        "x: !!python/object/apply:os.system [ls]\n",
        "a: 1\n---\nb: 2\n",
        "? [a, b]\n: c\n",
        "agent: {id: 3, backend: {type: 7, model: [x], mcp_servers: 4, text: 1, reasoning: [1]}}\n",
        "agent: {backend: {type: openai, model: m, mcp_servers: [1, {name: 2}, {name: a, type: 3}]}}\n",
        "\x00\x01",
        "[" * 500 + "]" * 500,  # deeper than Python recursion allows
    ],
    ids=lambda text: repr(text)[:24],
)
@pytest.mark.parametrize("name", ["x.yaml", "x.json"])
def test_check_text_never_raises(text: str, name: str) -> None:
    config, issues = check_text(text, Path(name), env={})
    assert config is None
    assert any(issue.level == "error" for issue in issues)


def test_unset_variable_names_the_variable_and_key_path() -> None:
    path = write(
        "vars.yaml",
        """
        agent:
          backend:
            type: openai
            model: ${MODEL_NAME}
            api_key: ${MY_KEY}
        """,
    )
    assert messages(path) == [
        "vars.yaml:4:12: error: agent.backend.model: environment variable MODEL_NAME is not set",
        "vars.yaml:5:14: error: agent.backend.api_key: environment variable MY_KEY is not set",
    ]
