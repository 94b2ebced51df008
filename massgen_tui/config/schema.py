"""The MassGen config keys massgen-tui reads, the MassGen keys it knows but does not use, and allowed values.

Data only; :mod:`massgen_tui.config.validate` applies it. Keys in ``*_UNUSED`` are real MassGen
settings (they get a "not used" warning instead of "unknown key"); keep those lists to keys known
for certain.
"""

from __future__ import annotations

from types import MappingProxyType

TOP_LEVEL = frozenset({"agent", "agents", "ui", "timeout_settings", "orchestrator"})
TOP_LEVEL_UNUSED = frozenset({"memory"})

AGENT = frozenset({"id", "backend", "system_message"})
AGENT_UNUSED = frozenset({"memory", "nlip", "enable_nlip"})

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
    }
)
#: Keys only the ``llamacpp`` backend reads.
BACKEND_LLAMACPP = frozenset({"model_path", "n_ctx", "n_threads"})
#: Kept in ``BackendConfig.extra`` without a warning: a backend reads them from there.
BACKEND_PASSED_THROUGH = frozenset({"thinking"})
BACKEND_UNUSED = frozenset(
    {
        "cwd",
        "context_paths",
        "permission_mode",
        "disallowed_tools",
        "max_thinking_tokens",
        "system_prompt",
        "append_system_prompt",
        "enable_mcp_command_line",
        "command_line_execution_mode",
        "enable_multimodal_tools",
        "agent_config",
    }
)
BACKEND_TEXT = frozenset({"verbosity"})
BACKEND_REASONING = frozenset({"effort", "summary"})

MCP_SERVER = frozenset(
    {"name", "type", "command", "args", "env", "cwd", "url", "headers", "timeout", "allowed_tools", "exclude_tools"}
)
MCP_SERVER_UNUSED = frozenset({"security"})
MCP_SERVER_TYPES = ("stdio", "streamable-http")

UI = frozenset({"display_type", "logging_enabled"})
TIMEOUT_SETTINGS = frozenset({"orchestrator_timeout_seconds"})
ORCHESTRATOR = frozenset(
    {"max_new_answers_per_agent", "max_attempts", "max_tool_iterations", "answer_novelty_requirement",
     "voting_sensitivity", "identical_answer_as_vote", "keep_own_answer", "final_presentation", "self_votes"}
)
ORCHESTRATOR_UNUSED = frozenset(
    {
        "snapshot_storage",
        "agent_temporary_workspace",
        "session_storage",
        "context_paths",
        "coordination",
        "skip_coordination_rounds",
        "debug_final_answer",
        "timeout",
        "enable_multimodal_tools",
    }
)

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

NOVELTY_LEVELS = ("lenient", "balanced", "strict")
VOTING_SENSITIVITIES = ("lenient", "balanced", "strict")
FINAL_PRESENTATIONS = ("rewrite", "rephrase", "verbatim")

#: Known values that are only checked loosely (a warning), since providers add new ones.
DISPLAY_TYPES = ("textual_terminal", "rich_terminal", "simple")
VERBOSITIES = ("low", "medium", "high")
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
REASONING_SUMMARIES = ("auto", "concise", "detailed")
