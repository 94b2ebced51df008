"""MassGen configs as MassGen reads them: its whole key vocabulary, its placeholders, its key lookups,
an unset variable that loses only its MCP server, and its voting sensitivity values."""

from __future__ import annotations

from pathlib import Path

from massgen_tui.config import load_config
from tests.config.helpers import KEYS, write


def warnings(path: Path, env: dict[str, str] | None = None) -> list[str]:
    return [str(w) for w in load_config(path, env=KEYS if env is None else env).warnings]


def test_massgen_keys_not_used_here_say_so_and_real_typos_get_a_suggestion() -> None:
    path = write("vocab.yaml", """
        agents:
          - id: a
            backend:
              type: openai
              model: gpt-5-mini
              custom_tools: [{name: calc}]
              enable_audio_generation: true
              enable_image_generation: true
              temperture: 0.3
        ui: {type: rich_terminal}
        timeout_settings: {initial_round_timeout_seconds: 60}
        """)
    assert warnings(path) == [
        "vocab.yaml:6:7: warning: agents[0].backend.custom_tools: 'custom_tools' is used by MassGen, "
        "not by massgen-tui",
        "vocab.yaml:7:7: warning: agents[0].backend.enable_audio_generation: 'enable_audio_generation' is used by "
        "MassGen, not by massgen-tui",
        "vocab.yaml:8:7: warning: agents[0].backend.enable_image_generation: 'enable_image_generation' is used "
        "by MassGen, not by massgen-tui",
        "vocab.yaml:9:7: warning: agents[0].backend.temperture: unknown key 'temperture'; did you mean 'temperature'?",
        "vocab.yaml:10:6: warning: ui.type: 'type' is used by MassGen, not by massgen-tui",
        "vocab.yaml:11:20: warning: timeout_settings.initial_round_timeout_seconds: 'initial_round_timeout_seconds' "
        "is used by MassGen, not by massgen-tui",
    ]


def test_cwd_in_mcp_args_is_the_backends_cwd_as_in_massgen() -> None:
    path = write("cwd.yaml", """
        agents:
          - id: a
            backend:
              type: openai
              model: gpt-5-mini
              cwd: workspace_a
              mcp_servers:
                playwright: {type: stdio, command: npx, args: ["--output-dir", "${cwd}/shots"]}
          - id: b
            backend:
              type: openai
              model: gpt-5-mini
              mcp_servers:
                playwright: {type: stdio, command: npx, args: ["--output-dir=${cwd}"]}
        """)
    agents = load_config(path, env=KEYS).config.agents
    assert agents[0].backend.mcp_servers[0].args == ["--output-dir", f"{Path.cwd() / 'workspace_a'}/shots"]
    assert agents[1].backend.mcp_servers[0].args == [f"--output-dir={Path.cwd()}"]


def test_an_unset_variable_loses_only_the_mcp_server_that_uses_it() -> None:
    path = write("unset.yaml", """
        agents:
          - id: a
            backend:
              type: openai
              model: gpt-5-mini
              mcp_servers:
                - {name: brave, type: stdio, command: npx, env: {BRAVE_API_KEY: "${BRAVE_API_KEY}"}}
                - {name: files, type: stdio, command: npx, args: ["."]}
                - {name: search, type: streamable-http, url: "https://mcp.example.com",
                   headers: {Authorization: "Bearer ${SEARCH_TOKEN}"}}
        """)
    loaded = load_config(path, env=KEYS)
    assert [s.name for s in loaded.config.agents[0].backend.mcp_servers] == ["files"]
    assert [str(w) for w in loaded.warnings] == [
        "unset.yaml:7:11: warning: agents[0].backend.mcp_servers[0]: MCP server 'brave' will not start: "
        "environment variable BRAVE_API_KEY is not set",
        "unset.yaml:9:11: warning: agents[0].backend.mcp_servers[2]: MCP server 'search' will not start: "
        "environment variable SEARCH_TOKEN is not set",
    ]


def test_a_chatcompletion_agent_on_dashscope_reads_qwen_api_key() -> None:
    path = write("qwen.yaml", """
        agents:
          - id: q
            backend: {type: chatcompletion, model: qwen-max, base_url: "https://dashscope.aliyuncs.com/compatible-mode/v1"}
          - id: q2
            backend: {type: qwen, model: qwen-plus}
        """)
    agents = load_config(path, env={"QWEN_API_KEY": "sk-qwen"}).config.agents
    assert [(a.backend.api_key, a.backend.api_key_env) for a in agents] == [
        ("sk-qwen", "QWEN_API_KEY"), ("sk-qwen", "QWEN_API_KEY")]
    assert agents[1].backend.base_url == "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"


def test_every_massgen_voting_sensitivity_loads_and_unimplemented_ones_name_the_default() -> None:
    for value, expected, warned in (("strict", "strict", []), ("balanced", "balanced", []),
                                    ("checklist_gated", "lenient", [
                                        "sens.yaml:1:36: warning: orchestrator.voting_sensitivity: voting_sensitivity "
                                        "'checklist_gated' is a MassGen mode that massgen-tui does not implement; "
                                        "'lenient' (the default) is used"]),
                                    ("roi_aggressive", "lenient", [
                                        "sens.yaml:1:36: warning: orchestrator.voting_sensitivity: voting_sensitivity "
                                        "'roi_aggressive' is a MassGen mode that massgen-tui does not implement; "
                                        "'lenient' (the default) is used"])):
        path = write("sens.yaml", f"orchestrator: {{voting_sensitivity: {value}}}\n"
                                  "agents: [{id: a, backend: {type: openai, model: gpt-5-mini}}]\n")
        loaded = load_config(path, env=KEYS)
        assert loaded.config.orchestrator.voting_sensitivity == expected
        assert [str(w) for w in loaded.warnings] == warned
