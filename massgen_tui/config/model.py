"""The validated, resolved configuration of a session.

The loader (:mod:`massgen_tui.config.loader`) turns a MassGen YAML/JSON file or quick
``--model`` flags into these objects. Everything here is resolved: preset base URLs are
filled in, ``${VAR}`` references are substituted and the API key is looked up, so the
backends and the coordinator never read the environment themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Family = Literal["openai", "chatcompletion", "azure_openai", "claude", "gemini", "llamacpp", "claude_code", "codex"]
#: Families that run a coding-agent CLI with its own tool loop in the agent's ``cwd``.
CLI_FAMILIES = frozenset({"claude_code", "codex"})


@dataclass(slots=True)
class McpServerConfig:
    """One MCP server of a backend (``stdio`` or ``streamable-http``)."""

    name: str
    type: str
    command: str | None = None
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    allowed_tools: list[str] | None = None
    exclude_tools: list[str] | None = None


@dataclass(slots=True)
class CommandSettings:
    """MassGen's command execution keys of a backend (``enable_mcp_command_line`` and ``command_line_*``)."""

    enabled: bool = False
    #: ``local`` (a process in the workspace) or ``docker`` (a container with the workspace mounted).
    mode: str = "local"
    #: Regular expressions: with a list, a command must match one; a blocked one never runs.
    allowed: list[str] | None = None
    blocked: list[str] = field(default_factory=list)
    docker_image: str | None = None
    docker_memory_limit: str | None = None
    docker_cpu_limit: float | None = None
    docker_network_mode: str | None = None


@dataclass(slots=True)
class BackendConfig:
    """A backend as configured, with presets and secrets resolved.

    ``type`` is the name written in the config (``grok``, ``chatcompletion``, ...);
    ``family`` is the wire protocol that serves it. ``api_key_env`` names the
    environment variable the key comes from (for messages; never the key itself).
    """

    type: str
    family: Family
    model: str
    api_key: str | None = None
    api_key_env: str | None = None
    base_url: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    text_verbosity: str | None = None
    reasoning_effort: str | None = None
    reasoning_summary: str | None = None
    enable_web_search: bool = False
    enable_code_execution: bool = False
    enable_code_interpreter: bool = False
    api_version: str | None = None
    mcp_servers: list[McpServerConfig] = field(default_factory=list)
    #: A CLI agent's (claude_code, codex) MCP servers: the CLI runs them itself, so they stay out of ``mcp_servers``.
    cli_mcp_servers: list[McpServerConfig] = field(default_factory=list)
    allowed_tools: list[str] | None = None
    exclude_tools: list[str] | None = None
    #: Decide with JSON (structured output) instead of the workflow tools; always on for ``llamacpp``.
    structured_output: bool = False
    #: ``llamacpp``: the GGUF file (``None``: the embedded SmolLM2-135M), context size and CPU threads.
    model_path: str | None = None
    n_ctx: int | None = None
    n_threads: int | None = None
    #: The agent's workspace folder as written (relative to the session's working folder); ``None``: none.
    cwd: str | None = None
    commands: CommandSettings = field(default_factory=CommandSettings)
    #: Keys this version does not interpret, kept so nothing in a MassGen file is lost.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class AgentConfig:
    """One agent: its id, backend and optional system message."""

    id: str
    backend: BackendConfig
    system_message: str | None = None


@dataclass(slots=True)
class TimeoutSettings:
    """``timeout_settings``: the whole coordination's time budget in seconds."""

    orchestrator_timeout_seconds: float = 1800.0


@dataclass(slots=True, frozen=True)
class ContextPath:
    """``orchestrator.context_paths`` entry: a user's folder (or file) the agents may read, or write when presenting."""

    path: str
    permission: str = "read"
    #: Paths inside ``path`` (relative to it) that stay read-only even with ``permission: write``.
    protected: tuple[str, ...] = ()


@dataclass(slots=True)
class OrchestratorSettings:
    """``orchestrator``: protocol knobs. ``None`` means unlimited."""

    max_new_answers_per_agent: int | None = None
    max_attempts: int = 3
    #: Rounds of external tool calls (MCP) one model turn may make before it must finish.
    max_tool_iterations: int = 10
    answer_novelty_requirement: str = "lenient"
    voting_sensitivity: str | None = None
    #: Remedies (off: MassGen's behaviour). An answer equal, after normalising, to a shown one is a vote for it.
    identical_answer_as_vote: bool = False
    #: An agent with an answer may not replace it with one no other answer supports: it must vote.
    keep_own_answer: bool = False
    #: ``rewrite`` (MassGen: the winner writes a new final answer), ``rephrase`` (it may only restate the
    #: winning answer) or ``verbatim`` (the winning answer itself, no call).
    final_presentation: str = "rewrite"
    #: Whether an agent may vote for its own answer (when other answers exist).
    self_votes: bool = True
    #: Folders (relative to the working folder) for answer snapshots and for the peers' snapshots each agent reads.
    snapshot_storage: str | None = None
    agent_temporary_workspace: str | None = None
    context_paths: list[ContextPath] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class UiSettings:
    """``ui``: display type and whether session logs are written."""

    display_type: str = "textual_terminal"
    logging_enabled: bool = True


@dataclass(slots=True)
class SessionConfig:
    """A whole session's configuration."""

    agents: list[AgentConfig]
    ui: UiSettings = field(default_factory=UiSettings)
    timeout: TimeoutSettings = field(default_factory=TimeoutSettings)
    orchestrator: OrchestratorSettings = field(default_factory=OrchestratorSettings)
    #: The file it came from, or ``None`` for ``--model`` quick setup.
    source: Path | None = None
    #: The document as written (before ``${VAR}`` substitution), for the session log.
    raw: dict[str, Any] = field(default_factory=dict)

    #: What to call a config without a file (``--model quick setup``); unsaved editor text is "untitled".
    name: str = ""

    @property
    def display_name(self) -> str:
        """What the session runs, for the screen: the file's name, else :attr:`name`, else ``untitled``."""
        return self.source.name if self.source is not None else self.name or "untitled"
