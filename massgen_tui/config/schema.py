"""The MassGen config keys massgen-tui reads, the MassGen keys it knows but does not use, and allowed values.

Data only; :mod:`massgen_tui.config.validate` applies it. Keys in ``*_UNUSED`` are real MassGen
settings (they get "used by MassGen, not by massgen-tui" instead of "unknown key" with a
did-you-mean): MassGen's whole vocabulary (:mod:`massgen_tui.config.massgen_vocabulary`) less the
keys read here.
"""

from __future__ import annotations

from types import MappingProxyType

from massgen_tui.config import massgen_vocabulary as massgen

TOP_LEVEL = frozenset({"agent", "agents", "ui", "timeout_settings", "orchestrator"})
TOP_LEVEL_UNUSED = massgen.TOP - TOP_LEVEL

AGENT = frozenset({"id", "backend", "system_message"})
AGENT_UNUSED = frozenset({"memory"}) | massgen.AGENT - AGENT

BACKEND = frozenset(
    {
        "type",
        "model",
        "api_key",
        "base_url",
        "temperature",
        "max_tokens",
        "top_p",
        "text",
        "reasoning",
        "enable_web_search",
        "enable_code_execution",
        "enable_code_interpreter",
        "api_version",
        "mcp_servers",
        "allowed_tools",
        "exclude_tools",
        # MassGen reads it from the agent; accepted here too when the agent has none.
        "system_message",
        "structured_output",
        # llamacpp only
        "model_path",
        "n_ctx",
        "n_threads",
        # workspaces and command execution (massgen_tui.workspace)
        "cwd",
        "enable_mcp_command_line",
        "command_line_execution_mode",
        "command_line_allowed_commands",
        "command_line_blocked_commands",
        "command_line_docker_image",
        "command_line_docker_memory_limit",
        "command_line_docker_cpu_limit",
        "command_line_docker_network_mode",
    }
)
#: Keys only the ``llamacpp`` backend reads.
BACKEND_LLAMACPP = frozenset({"model_path", "n_ctx", "n_threads"})
#: Kept in ``BackendConfig.extra`` without a warning: a backend reads them from there.
BACKEND_PASSED_THROUGH = frozenset({"thinking"}) | frozenset(
    # the container's set-up beyond image and limits: kept, and the docker mode names what it does not apply
    key for key in massgen.BACKEND if key.startswith(("command_line_docker_", "command_line_srt_"))
) - BACKEND
BACKEND_UNUSED = frozenset(
    {
        "permission_mode",
        "disallowed_tools",
        "max_thinking_tokens",
        "system_prompt",
        "append_system_prompt",
        "enable_multimodal_tools",
    }
) | massgen.BACKEND - BACKEND
#: Keys a CLI agent backend reads from ``BackendConfig.extra`` (MassGen's, plus ``idle_timeout_seconds``).
_CLI_COMMON = frozenset({"cwd", "idle_timeout_seconds"})
BACKEND_CLI = MappingProxyType({
    "claude_code": _CLI_COMMON | {"permission_mode", "disallowed_tools", "max_thinking_tokens", "system_prompt",
                                  "append_system_prompt"},
    "codex": _CLI_COMMON,
})
#: Claude Code's permission modes (claude-agent-sdk ``PermissionMode``).
PERMISSION_MODES = ("default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "auto")
BACKEND_TEXT = frozenset({"verbosity"})
BACKEND_REASONING = frozenset({"effort", "summary"})

MCP_SERVER = frozenset(
    {"name", "type", "command", "args", "env", "cwd", "url", "headers", "timeout", "allowed_tools", "exclude_tools"}
)
MCP_SERVER_UNUSED = frozenset({"security"}) | massgen.MCP_SERVER - MCP_SERVER
MCP_SERVER_TYPES = ("stdio", "streamable-http")

UI = frozenset({"display_type", "logging_enabled"})
UI_UNUSED = massgen.UI - UI
TIMEOUT_SETTINGS = frozenset({"orchestrator_timeout_seconds"})
TIMEOUT_SETTINGS_UNUSED = massgen.TIMEOUT_SETTINGS - TIMEOUT_SETTINGS
ORCHESTRATOR = frozenset(
    {"max_new_answers_per_agent", "max_attempts", "max_tool_iterations", "answer_novelty_requirement",
     "voting_sensitivity", "identical_answer_as_vote", "keep_own_answer", "final_presentation", "self_votes",
     "snapshot_storage", "agent_temporary_workspace", "context_paths"}
)
ORCHESTRATOR_UNUSED = frozenset(
    {
        "session_storage",
        "coordination",
        "skip_coordination_rounds",
        "debug_final_answer",
        "timeout",
        "enable_multimodal_tools",
    }
) | massgen.ORCHESTRATOR - ORCHESTRATOR

#: Where a key belongs, for "it belongs in ..." hints when it is written one level off.
HOME_OF = MappingProxyType(
    {
        **{key: "the agent" for key in AGENT},
        **{key: "backend" for key in BACKEND - {"system_message"}},
        **{key: "ui" for key in UI},
        **{key: "timeout_settings" for key in TIMEOUT_SETTINGS},
        **{key: "orchestrator" for key in ORCHESTRATOR},
    }
)
#: Extra advice for MassGen keys that have a massgen-tui equivalent.
UNUSED_HINTS = MappingProxyType({"timeout": "use timeout_settings.orchestrator_timeout_seconds"})

FINAL_PRESENTATIONS = ("rewrite", "rephrase", "verbatim")
CONTEXT_PATH = frozenset({"path", "permission", "protected_paths"})
CONTEXT_PERMISSIONS = ("read", "write")
COMMAND_MODES = ("local", "docker")

#: Known values that are only checked loosely (a warning), since providers add new ones.
DISPLAY_TYPES = ("textual_terminal", "rich_terminal", "simple")
VERBOSITIES = ("low", "medium", "high")
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
REASONING_SUMMARIES = ("auto", "concise", "detailed")
