"""Check a parsed MassGen config and build the resolved :class:`SessionConfig` from it.

Every problem becomes a :class:`ConfigIssue` located at its key or value; checking goes on after
an error so all of them are reported at once. Unknown keys are warnings (with a did-you-mean),
wrong types and values are errors.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable, Collection, Mapping
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from massgen_tui.config import local_engine, schema, strictness_levels
from massgen_tui.config.credentials import lookup_api_key, missing_key_advice
from massgen_tui.config.document import Document
from massgen_tui.config.env import env_reference, substitute_tree
from massgen_tui.config.keypath import KeyPath, format_path
from massgen_tui.config.model import (
    CLI_FAMILIES,
    AgentConfig,
    BackendConfig,
    CommandSettings,
    ContextPath,
    McpServerConfig,
    OrchestratorSettings,
    SessionConfig,
    TimeoutSettings,
    UiSettings,
)
from massgen_tui.config.providers import (
    MASSGEN_ONLY_TYPES,
    PROVIDERS,
    ProviderPreset,
    infer_backend_type,
)
from massgen_tui.errors import ConfigIssue

_SERVER_NAME = re.compile(r"[A-Za-z0-9_-]+")
_MCP_PREFIX = "mcp__"
#: The keys only one MCP server type uses.
_MCP_KEYS_OF = {"stdio": ("command", "args", "env", "cwd"), "streamable-http": ("url", "headers")}


def build_config(
    document: Document, env: Mapping[str, str], *, check_keys: bool = True
) -> tuple[SessionConfig | None, list[ConfigIssue]]:
    """The config a document describes (``None`` if it has errors) and every issue found.

    ``check_keys=False`` skips what depends on the machine's secrets: missing API keys, a
    missing Azure endpoint, and unset variables in ``api_key``.
    """
    config, issues = _Builder(document, env, check_keys).build()
    return config, sorted(issues, key=lambda issue: (issue.line or 0, issue.column or 0))


def did_you_mean(word: str, choices: Collection[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def describe(value: Any) -> str:
    """A value as a message shows it: ``'hot'``, ``true``, ``null``, ``a list``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


#: ``${`` not starting a whole ``${NAME}`` or ``${NAME:-default}`` reference.
_UNTERMINATED = re.compile(r"\$\{(?![A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})")


class _Builder:
    def __init__(self, document: Document, env: Mapping[str, str], check_keys: bool) -> None:
        self.doc = document
        self.env = env
        self.check_keys = check_keys
        self.issues: list[ConfigIssue] = list(document.warnings)
        self.data, self.unset = substitute_tree(document.data, env)
        self.told_missing_extra = False
        self._broken_placeholders(document.data, ())

    def _broken_placeholders(self, value: Any, path: KeyPath, depth: int = 0) -> None:
        """An error for each value with a ``${`` that never closes (``${OOPS``): never used as written."""
        if isinstance(value, str):
            if "${" in value and _UNTERMINATED.search(value):
                self.error(path, "unterminated ${ placeholder (a '}' is missing): write ${NAME}")
        elif depth < 64 and isinstance(value, dict):
            for key, item in value.items():
                self._broken_placeholders(item, (*path, str(key)), depth + 1)
        elif depth < 64 and isinstance(value, list):
            for index, item in enumerate(value):
                self._broken_placeholders(item, (*path, index), depth + 1)

    # -- issues ----------------------------------------------------------------------------

    def _report(self, level: str, path: KeyPath, message: str, *, at_key: bool) -> None:
        where = self.doc.key_location(path) if at_key else self.doc.value_location(path)
        self.issues.append(
            ConfigIssue(
                level,
                message,
                self.doc.file,
                where.line if where else None,
                where.column if where else None,
                format_path(path),
            )
        )

    def error(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        self._report("error", path, message, at_key=at_key)

    def warn(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        self._report("warning", path, message, at_key=at_key)

    def expected(self, path: KeyPath, kind: str, value: Any) -> None:
        self.error(path, f"expected {kind}, got {describe(value)}")

    def missing(self, path: KeyPath, key: str, advice: str = "") -> None:
        self.error(path, f"missing required key '{key}'{advice}", at_key=True)

    # -- values ----------------------------------------------------------------------------

    def text(self, path: KeyPath, value: Any, *, numbers: bool = False) -> str | None:
        """A string value (``numbers`` also accepts and converts numbers); unset ``${VAR}`` is an error."""
        if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.expected(path, "a string", value)
            return None
        unset = self.unset.get(path)
        if unset:
            if len(unset) == 1:
                self.error(path, f"environment variable {unset[0]} is not set")
            else:
                self.error(path, f"environment variables {', '.join(unset)} are not set")
            return None
        return value

    def number(
        self,
        path: KeyPath,
        value: Any,
        *,
        above: float | None = None,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.expected(path, "a number", value)
            return None
        if not math.isfinite(value):  # YAML's .nan and .inf
            self.expected(path, "a finite number", value)
            return None
        if above is not None and not value > above:
            self.expected(path, f"a number > {above:g}", value)
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f">= {low:g}"
            self.expected(path, f"a number {bounds}", value)
            return None
        return value

    def integer(self, path: KeyPath, value: Any, *, low: int = 1) -> int | None:
        if isinstance(value, float) and value.is_integer():  # JSON's 1e3
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.expected(path, "an integer", value)
            return None
        if value < low:
            self.expected(path, f"an integer >= {low}", value)
            return None
        return value

    def flag(self, path: KeyPath, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.expected(path, "true or false", value)
            return None
        return value

    def choice(self, path: KeyPath, value: Any, choices: tuple[str, ...], *, strict: bool) -> str | None:
        """One of ``choices``; ``strict=False`` passes an unknown string on with a warning."""
        listed = ", ".join(choices)
        if not isinstance(value, str):
            self.expected(path, f"one of {listed}", value)
            return None
        found = self.text(path, value)
        if found is None or found in choices:
            return found
        if strict:
            self.error(path, f"expected one of {listed}, got {describe(found)}{did_you_mean(found, choices)}")
            return None
        self.warn(path, f"{describe(found)} is not one of {listed}{did_you_mean(found, choices)}; used as written")
        return found

    def url(self, path: KeyPath, value: Any) -> str | None:
        found = self.text(path, value)
        if found is None:
            return None
        parts = urlsplit(found)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.expected(path, "an http:// or https:// URL", found)
            return None
        return found

    def string_list(self, path: KeyPath, value: Any, *, numbers: bool = False) -> list[str] | None:
        if not isinstance(value, list):
            self.expected(path, "a list of strings", value)
            return None
        items = [self.text((*path, index), item, numbers=numbers) for index, item in enumerate(value)]
        found = [item for item in items if item is not None]
        return found if len(found) == len(items) else None

    def string_map(self, path: KeyPath, value: Any) -> dict[str, str] | None:
        section = self.mapping(path, value)
        if section is None:
            return None
        items = {str(key): self.text((*path, str(key)), item, numbers=True) for key, item in section.items()}
        found = {key: item for key, item in items.items() if item is not None}
        return found if len(found) == len(items) else None

    def mapping(self, path: KeyPath, value: Any) -> dict[str, Any] | None:
        """A mapping (``null`` reads as empty)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.expected(path, "a mapping", value)
            return None
        return {str(key): item for key, item in value.items()}

    def known_keys(
        self,
        path: KeyPath,
        section: dict[str, Any],
        used: frozenset[str],
        unused: frozenset[str] = frozenset(),
        passed_through: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """Warn about keys not in ``used``; return them (they are kept, not interpreted)."""
        rest = {key: value for key, value in section.items() if key not in used}
        for key in rest:
            if key in passed_through:
                continue
            if key in unused:
                hint = schema.UNUSED_HINTS.get(key)
                message = f"'{key}' is used by MassGen, not by massgen-tui"
                self.warn((*path, key), message + (f"; {hint}" if hint else ""), at_key=True)
                continue
            advice = did_you_mean(key, used)
            home = schema.HOME_OF.get(key)
            if not advice and home:
                advice = f"; it belongs in {home}"
            self.warn((*path, key), f"unknown key '{key}'{advice}", at_key=True)
        return rest

    # -- sections --------------------------------------------------------------------------

    def build(self) -> tuple[SessionConfig | None, list[ConfigIssue]]:
        root = self.data
        if root is None:
            self.error((), "the file is empty; expected 'agents' (a list of agents) or 'agent'")
            return None, self.issues
        if not isinstance(root, dict):
            self.expected((), "a mapping with 'agents' or 'agent' at the top level", root)
            return None, self.issues
        top = self.mapping((), root) or {}
        self.known_keys((), top, schema.TOP_LEVEL, schema.TOP_LEVEL_UNUSED)
        agents = self.agents(top)
        ui = self.ui(top.get("ui"))
        timeout = self.timeout(top.get("timeout_settings"))
        orchestrator = self.orchestrator(top.get("orchestrator"))
        if any(issue.level == "error" for issue in self.issues):
            return None, self.issues
        config = SessionConfig(
            agents=agents, ui=ui, timeout=timeout, orchestrator=orchestrator, source=self.doc.file, raw=self.doc.data
        )
        return config, self.issues

    def agents(self, top: dict[str, Any]) -> list[AgentConfig]:
        if "agents" in top and "agent" in top:
            self.error(("agent",), "use either 'agents' or 'agent', not both", at_key=True)
            return []
        if "agent" in top:
            entries: list[tuple[KeyPath, Any]] = [(("agent",), top["agent"])]
        elif "agents" in top:
            listed = top["agents"]
            if not isinstance(listed, list):
                self.expected(("agents",), "a list of agents", listed)
                return []
            if not listed:
                self.error(("agents",), "no agents: the list is empty")
                return []
            entries = [(("agents", index), entry) for index, entry in enumerate(listed)]
        else:
            self.error((), "no agents: add 'agents' (a list of agents) or 'agent'")
            return []
        sections = [(path, self.mapping(path, entry)) for path, entry in entries]
        ids = self.agent_ids([(path, section) for path, section in sections if section is not None])
        built = [(path, self.agent(path, section, ids[path])) for path, section in sections if section is not None]
        self.shared_workspaces([(path, agent) for path, agent in built if agent is not None])
        return [agent for _path, agent in built if agent is not None]

    def shared_workspaces(self, agents: list[tuple[KeyPath, AgentConfig]]) -> None:
        """Two agents never share a workspace: the second with the same ``cwd`` gets ``<cwd>_<agent id>``."""
        first: dict[str, str] = {}
        for path, agent in agents:
            if agent.backend.cwd is None:
                continue
            folder = str(Path(agent.backend.cwd).expanduser())
            resolved = Path(folder).absolute().resolve(strict=False)
            key = str(resolved)
            if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
                self.error((*path, "backend", "cwd"), f"'{folder}' is the working folder or holds it; an agent's "
                           "workspace is a folder of its own (e.g. workspace1), since it is snapshotted and reset")
            elif key in first:
                # MassGen gives every agent a folder of its own under a shared cwd; so do we, and say where.
                own = f"{folder.rstrip('/')}_{agent.id}"
                self.warn((*path, "backend", "cwd"), f"agents '{first[key]}' and '{agent.id}' name the same workspace "
                          f"'{folder}'; '{agent.id}' works in '{own}' (each agent has a folder of its own)")
                agent.backend.cwd = own
                first[str(Path(own).absolute().resolve(strict=False))] = agent.id
            else:
                first[key] = agent.id

    def folder(self, path: KeyPath, value: Any) -> str | None:
        """A folder name: a non-empty string without NUL bytes."""
        text = self.text(path, value)
        if text is not None and (not text.strip() or "\0" in text):
            self.expected(path, "a folder name", text)
            return None
        return text

    def commands(self, path: KeyPath, section: dict[str, Any]) -> CommandSettings:
        """MassGen's command execution keys: ``enable_mcp_command_line`` and ``command_line_*``."""
        get = partial(self.optional, path, section)
        settings = CommandSettings(enabled=bool(get("enable_mcp_command_line", self.flag)))
        # MassGen's other modes (``srt``) load; run_command then says they do not run here
        settings.mode = get("command_line_execution_mode", self.choice, choices=schema.COMMAND_MODES,
                            strict=False) or "local"
        settings.allowed = get("command_line_allowed_commands", self.patterns)
        settings.blocked = get("command_line_blocked_commands", self.patterns) or []
        settings.docker_image = get("command_line_docker_image", self.text)
        settings.docker_memory_limit = get("command_line_docker_memory_limit", self.text, numbers=True)
        cpus = get("command_line_docker_cpu_limit", self.number, low=0)
        settings.docker_cpu_limit = float(cpus) if cpus is not None else None
        settings.docker_network_mode = get("command_line_docker_network_mode", self.text)
        return settings

    def patterns(self, path: KeyPath, value: Any) -> list[str] | None:
        """A list of regular expressions (MassGen's allow/deny lists); one that does not compile is an error."""
        found = self.string_list(path, value)
        for index, pattern in enumerate(found or []):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.error((*path, index), f"not a regular expression: {exc}")
        return found

    def agent_ids(self, sections: list[tuple[KeyPath, dict[str, Any]]]) -> dict[KeyPath, str]:
        """Each agent's id: as written, else ``agent_a``, ``agent_b``, ... by position (skipping taken ones)."""
        ids: dict[KeyPath, str] = {}
        first_use: dict[str, KeyPath] = {}
        for path, section in sections:
            if section.get("id") is None:
                continue
            written = self.text((*path, "id"), section["id"])
            if written is not None and not written.strip():
                self.expected((*path, "id"), "a non-empty string", written)
                written = None
            if written is None:
                ids[path] = ""
            elif written in first_use:
                first = format_path(first_use[written])
                self.error((*path, "id"), f"duplicate agent id '{written}' (also used by {first})")
                ids[path] = written
            else:
                first_use[written] = path
                ids[path] = written
        taken = set(first_use)
        for position, (path, _section) in enumerate(sections):
            if path in ids:
                continue
            candidate = position
            while (name := f"agent_{_letters(candidate)}") in taken:
                candidate += 1
            taken.add(name)
            ids[path] = name
        return ids

    def agent(self, path: KeyPath, section: dict[str, Any], agent_id: str) -> AgentConfig | None:
        self.known_keys(path, section, schema.AGENT, schema.AGENT_UNUSED)
        system_message = self.optional(path, section, "system_message", self.text)
        if "backend" not in section:
            self.missing(path, "backend", " (a mapping with 'type' and 'model')")
            return None
        backend, backend_message = self.backend((*path, "backend"), section["backend"], agent_id)
        if system_message is None:
            system_message = backend_message
        elif backend_message is not None:
            self.warn((*path, "backend", "system_message"), "ignored: the agent's system_message is used", at_key=True)
        if backend is None:
            return None
        return AgentConfig(id=agent_id, backend=backend, system_message=system_message)

    def optional(
        self, path: KeyPath, section: dict[str, Any], key: str, read: Callable[..., Any], **options: Any
    ) -> Any:
        """``read`` the value of ``key`` if present and not null."""
        value = section.get(key)
        return None if value is None else read((*path, key), value, **options)

    def backend(self, path: KeyPath, value: Any, agent_id: str) -> tuple[BackendConfig | None, str | None]:
        section = self.mapping(path, value)
        if section is None:
            return None, None
        written_type = str(section.get("type") or "").lower()
        passed = schema.BACKEND_PASSED_THROUGH | schema.BACKEND_CLI.get(written_type, frozenset())
        rest = self.known_keys(path, section, schema.BACKEND, schema.BACKEND_UNUSED, passed)
        get = partial(self.optional, path, section)
        model = get("model", self.text)
        preset = self.preset(path, section, model)
        local = preset is not None and preset.family == "llamacpp"
        cli = preset is not None and preset.family in CLI_FAMILIES  # the CLI picks its default model
        if ("model" not in section or section["model"] is None) and preset is not None and not (local or cli):
            self.missing(path, "model")  # an unknown or unsupported type has its one error already
        system_message = get("system_message", self.text)
        config = BackendConfig(
            type=preset.type if preset else "",
            family=preset.family if preset else "chatcompletion",
            model=model or "",
            base_url=get("base_url", self.url),
            temperature=get("temperature", self.number, low=0),
            max_tokens=get("max_tokens", self.integer),
            top_p=get("top_p", self.number, low=0, high=1),
            enable_web_search=bool(get("enable_web_search", self.flag)),
            enable_code_execution=bool(get("enable_code_execution", self.flag)),
            enable_code_interpreter=bool(get("enable_code_interpreter", self.flag)),
            api_version=get("api_version", self.version),
            mcp_servers=self.mcp_servers((*path, "mcp_servers"), section.get("mcp_servers"), section.get("cwd")),
            allowed_tools=get("allowed_tools", self.string_list),
            exclude_tools=get("exclude_tools", self.string_list),
            structured_output=bool(get("structured_output", self.flag)),
            cwd=get("cwd", self.folder),
            commands=self.commands(path, section),
            extra=rest,
        )
        if local:
            self.local_backend(path, section, config)
        elif cli:
            self.cli_backend(path, section, config)
        else:
            for key in sorted(schema.BACKEND_LLAMACPP & section.keys()):
                self.warn((*path, key), f"ignored: '{key}' is only used by the llamacpp backend", at_key=True)
        text = self.mapping((*path, "text"), section.get("text")) or {}
        self.known_keys((*path, "text"), text, schema.BACKEND_TEXT)
        config.text_verbosity = self.optional((*path, "text"), text, "verbosity", self.choice,
                                              choices=schema.VERBOSITIES, strict=False)
        reasoning = self.mapping((*path, "reasoning"), section.get("reasoning")) or {}
        self.known_keys((*path, "reasoning"), reasoning, schema.BACKEND_REASONING)
        config.reasoning_effort = self.optional((*path, "reasoning"), reasoning, "effort", self.choice,
                                                choices=schema.REASONING_EFFORTS, strict=False)
        config.reasoning_summary = self.optional((*path, "reasoning"), reasoning, "summary", self.choice,
                                                 choices=schema.REASONING_SUMMARIES, strict=False)
        if preset is not None:
            self.resolve_access(path, section, config, agent_id)
        return (config if preset is not None and (config.model or cli) else None), system_message

    def cli_backend(self, path: KeyPath, section: dict[str, Any], config: BackendConfig) -> None:
        """``claude_code`` / ``codex``: the CLI runs the MCP servers itself; Codex decides with JSON."""
        config.cli_mcp_servers, config.mcp_servers = config.mcp_servers, []
        if config.family == "codex":
            config.structured_output = True  # codex exec --output-schema: the final message is the decision
        for key in ("permission_mode", "max_thinking_tokens", "idle_timeout_seconds"):
            if key in section and section[key] is not None:
                checked = (self.choice((*path, key), section[key], schema.PERMISSION_MODES, strict=True)
                           if key == "permission_mode" else self.number((*path, key), section[key], low=1))
                if checked is None:
                    config.extra.pop(key, None)

    def preset(self, path: KeyPath, section: dict[str, Any], model: str | None) -> ProviderPreset | None:
        """The provider preset of ``type`` (inferred from the model when ``type`` is absent)."""
        if section.get("type") is None:
            inferred = infer_backend_type(model) if model else None
            if inferred is None:
                self.missing(path, "type", f" (one of {', '.join(PROVIDERS)})")
            return PROVIDERS.get(inferred) if inferred else None
        written = self.text((*path, "type"), section["type"])
        if written is None:
            return None
        preset = PROVIDERS.get(written.lower())
        if preset is None:
            if written.lower() in MASSGEN_ONLY_TYPES:
                self.error((*path, "type"), f"backend type '{written}' is a MassGen backend that this version of "
                           f"massgen-tui does not run (supported: {', '.join(PROVIDERS)})")
            else:
                advice = did_you_mean(written.lower(), PROVIDERS) or f" (supported: {', '.join(PROVIDERS)})"
                self.error((*path, "type"), f"unknown backend type '{written}'{advice}")
        return preset

    def local_backend(self, path: KeyPath, section: dict[str, Any], config: BackendConfig) -> None:
        """The ``llamacpp`` keys: model file (relative to the config's folder), context, threads.

        With ``check_keys`` (a run, not the editor) the extra and the model file are checked too.
        """
        get = partial(self.optional, path, section)
        model_path = get("model_path", self.text)
        if model_path is not None and self.doc.file is not None:
            model_path = str(self.doc.file.parent / Path(model_path).expanduser())
        config.model_path = model_path
        config.n_ctx = get("n_ctx", self.integer, low=16)
        config.n_threads = get("n_threads", self.integer)
        if section.get("structured_output") is False:
            self.warn((*path, "structured_output"), "ignored: the llamacpp backend has no tool calling; "
                      "it always decides with structured output", at_key=True)
        config.structured_output = True
        if config.mcp_servers:
            self.warn((*path, "mcp_servers"), "ignored: the llamacpp backend has no tool calling", at_key=True)
            config.mcp_servers = []
        if config.max_tokens is None:
            config.max_tokens = local_engine.DEFAULT_MAX_TOKENS
        if not config.model:
            config.model = Path(model_path).stem if model_path else local_engine.EMBEDDED_MODEL_NAME
        if not self.check_keys:
            return
        if not local_engine.engine_installed():
            if not self.told_missing_extra:  # one message for the whole file
                self.told_missing_extra = True
                self.error((*path, "type"), local_engine.missing_extra_message())
            return
        try:
            local_engine.resolve_model_path(model_path)
        except local_engine.LocalModelError as exc:
            self.error((*path, "model_path") if model_path is not None else (*path, "type"), str(exc))

    def version(self, path: KeyPath, value: Any) -> str | None:
        """``api_version``: a string (a bare ``2024-10-21`` reads as a YAML date; take it as written)."""
        if isinstance(value, datetime.date):
            return value.isoformat()
        return self.text(path, value)

    def resolve_access(self, path: KeyPath, section: dict[str, Any], config: BackendConfig, agent_id: str) -> None:
        """Fill in base URL, API version and key from the preset and the environment."""
        preset = PROVIDERS[config.type]
        if config.base_url is None:
            from_env = self.env.get(preset.base_url_env) if preset.base_url_env else None
            config.base_url = from_env or preset.base_url
        if config.api_version is None and preset.api_version_env:
            config.api_version = self.env.get(preset.api_version_env) or None
        key_path = (*path, "api_key")
        explicit = None
        if self.check_keys or key_path not in self.unset:
            explicit = self.optional(path, section, "api_key", self.text)
        lookup = lookup_api_key(preset, config.base_url, explicit, self.env)
        config.api_key = lookup.api_key
        config.api_key_env = lookup.env_name or (self.written_reference(key_path) if explicit else None)
        if not self.check_keys:
            return
        if preset.base_url_env and not config.base_url:
            self.error(path, f"no endpoint for agent '{agent_id}' ({config.type}): "
                       f"set {preset.base_url_env} or base_url", at_key=True)
        if lookup.missing and key_path not in self.unset and config.family not in CLI_FAMILIES:
            # (a CLI agent may be logged in to its CLI instead)  # an unset ${VAR} in api_key is reported already
            self.error(path, f"no API key for agent '{agent_id}' ({config.type}): "
                       f"{missing_key_advice(lookup, in_file=True)}", at_key=True)

    def written_reference(self, path: KeyPath) -> str | None:
        """The variable a value names when it is written as exactly ``${VAR}``."""
        raw = self.doc.data
        for part in path:
            if isinstance(raw, dict):
                raw = raw.get(part)
            elif isinstance(raw, list) and isinstance(part, int):
                raw = raw[part]
            else:
                return None
        return env_reference(raw) if isinstance(raw, str) else None

    def mcp_servers(self, path: KeyPath, value: Any, backend_cwd: Any = None) -> list[McpServerConfig]:
        if value is None:
            return []
        value = self.placeholders(path, value, backend_cwd)
        # (where the server is, where its name is written, its name, the server)
        entries: list[tuple[KeyPath, KeyPath, str | None, Any]] = []
        if isinstance(value, dict):
            entries = [((*path, str(name)), (*path, str(name)), str(name), server) for name, server in value.items()]
        elif isinstance(value, list):
            for index, server in enumerate(value):
                item = (*path, index)
                if isinstance(server, dict) and server.get("name") is None:
                    self.missing(item, "name")
                    continue
                name = self.text((*item, "name"), server.get("name")) if isinstance(server, dict) else ""
                entries.append((item, (*item, "name"), name, server))
        else:
            self.expected(path, "a mapping of servers by name, or a list of servers with 'name'", value)
            return []
        servers: list[McpServerConfig] = []
        seen: dict[str, KeyPath] = {}
        for item, name_path, name, server in entries:
            if name and name in seen:
                self.error(name_path, f"duplicate MCP server name '{name}' (also used by {format_path(seen[name])})",
                           at_key=True)
            elif name and not _SERVER_NAME.fullmatch(name):
                self.error(name_path, f"MCP server name '{name}' may only use letters, digits, '_' and '-'",
                           at_key=True)
            elif name:
                seen[name] = item
            built = self.mcp_server(item, name, server)
            if built is not None:
                servers.append(built)
                for key in ("allowed_tools", "exclude_tools"):
                    self.other_servers_tools((*item, key), getattr(built, key), built.name)
        return servers

    def other_servers_tools(self, path: KeyPath, names: list[str] | None, server: str) -> None:
        """Warn about a server's tool filter entries that name another server's tool (they match nothing)."""
        for index, name in enumerate(names or []):
            if name.startswith(_MCP_PREFIX) and not name.startswith(f"{_MCP_PREFIX}{server}__"):
                self.warn((*path, index), f"'{name}' is not a tool of MCP server '{server}'; it matches nothing "
                          f"(use '{server}' tool names, bare or as mcp__{server}__<tool>)")

    def placeholders(self, path: KeyPath, value: Any, backend_cwd: Any) -> Any:
        """MassGen's ``${cwd}`` in MCP servers: the backend's ``cwd`` (absolute), else the working folder."""
        folder = str(Path(backend_cwd).expanduser().absolute() if isinstance(backend_cwd, str) else Path.cwd())

        def walk(item: Any, where: KeyPath) -> Any:
            if isinstance(item, dict):
                return {key: walk(inner, (*where, key)) for key, inner in item.items()}
            if isinstance(item, list):
                return [walk(inner, (*where, index)) for index, inner in enumerate(item)]
            if isinstance(item, str) and "${cwd}" in item:
                unset = [name for name in self.unset.get(where, []) if name != "cwd"]
                if unset:
                    self.unset[where] = unset
                else:
                    self.unset.pop(where, None)
                return item.replace("${cwd}", folder)
            return item

        return walk(value, path)

    def mcp_server(self, path: KeyPath, name: str | None, value: Any) -> McpServerConfig | None:
        section = self.mapping(path, value)
        if section is None or not name:
            return None
        unset = sorted({variable for where, names in self.unset.items() if where[:len(path)] == path
                        for variable in names})
        if unset:  # only this server is lost, as in MassGen
            variables = f"environment variable {unset[0]} is" if len(unset) == 1 else \
                f"environment variables {', '.join(unset)} are"
            self.warn(path, f"MCP server '{name}' will not start: {variables} not set", at_key=True)
            return None
        self.known_keys(path, section, schema.MCP_SERVER, schema.MCP_SERVER_UNUSED)
        get = partial(self.optional, path, section)
        kind = get("type", self.choice, choices=schema.MCP_SERVER_TYPES, strict=True)
        if section.get("type") is None:
            self.missing(path, "type", f" ({' or '.join(schema.MCP_SERVER_TYPES)})")
        required = {"stdio": "command", "streamable-http": "url"}.get(kind or "")
        if required and section.get(required) is None:
            self.missing(path, required)
        for other, keys in _MCP_KEYS_OF.items():
            misplaced = [key for key in keys if key in section] if kind and kind != other else []
            for key in misplaced:
                self.warn((*path, key), f"ignored: '{key}' is for {other} servers, this one is {kind}", at_key=True)
        return McpServerConfig(
            name=name,
            type=kind or "",
            command=get("command", self.text),
            args=get("args", self.string_list, numbers=True) or [],
            env=get("env", self.string_map) or {},
            cwd=get("cwd", self.text),
            url=get("url", self.url),
            headers=get("headers", self.string_map) or {},
            timeout=get("timeout", self.number, above=0),
            allowed_tools=get("allowed_tools", self.string_list),
            exclude_tools=get("exclude_tools", self.string_list),
        )

    def ui(self, value: Any) -> UiSettings:
        path = ("ui",)
        section = self.mapping(path, value) or {}
        self.known_keys(path, section, schema.UI, schema.UI_UNUSED)
        ui = UiSettings()
        display = self.optional(path, section, "display_type", self.choice, choices=schema.DISPLAY_TYPES, strict=False)
        logging = self.optional(path, section, "logging_enabled", self.flag)
        if display is not None:
            ui.display_type = display
        if logging is not None:
            ui.logging_enabled = logging
        return ui

    def timeout(self, value: Any) -> TimeoutSettings:
        path = ("timeout_settings",)
        section = self.mapping(path, value) or {}
        self.known_keys(path, section, schema.TIMEOUT_SETTINGS, schema.TIMEOUT_SETTINGS_UNUSED)
        seconds = self.optional(path, section, "orchestrator_timeout_seconds", self.number, above=0)
        return TimeoutSettings(float(seconds)) if seconds is not None else TimeoutSettings()

    def orchestrator(self, value: Any) -> OrchestratorSettings:
        path = ("orchestrator",)
        section = self.mapping(path, value) or {}
        settings = OrchestratorSettings(extra=self.known_keys(path, section, schema.ORCHESTRATOR,
                                                              schema.ORCHESTRATOR_UNUSED))
        settings.max_new_answers_per_agent = self.optional(path, section, "max_new_answers_per_agent", self.integer)
        attempts = self.optional(path, section, "max_attempts", self.integer)
        if attempts is not None:
            settings.max_attempts = attempts
        iterations = self.optional(path, section, "max_tool_iterations", self.integer)
        if iterations is not None:
            settings.max_tool_iterations = iterations
        novelty = self.optional(path, section, "answer_novelty_requirement", self.choice,
                                choices=strictness_levels.NOVELTY_LEVELS, strict=True)
        if novelty is not None:
            settings.answer_novelty_requirement = novelty
        settings.voting_sensitivity = self.sensitivity((*path, "voting_sensitivity"), section.get("voting_sensitivity"))
        for key in ("identical_answer_as_vote", "keep_own_answer", "self_votes"):
            flag = self.optional(path, section, key, self.flag)
            if flag is not None:
                setattr(settings, key, flag)
        presentation = self.optional(path, section, "final_presentation", self.choice,
                                     choices=schema.FINAL_PRESENTATIONS, strict=True)
        if presentation is not None:
            settings.final_presentation = presentation
        settings.snapshot_storage = self.optional(path, section, "snapshot_storage", self.folder)
        settings.agent_temporary_workspace = self.optional(path, section, "agent_temporary_workspace", self.folder)
        settings.context_paths = self.context_paths((*path, "context_paths"), section.get("context_paths"))
        return settings

    def context_paths(self, path: KeyPath, value: Any) -> list[ContextPath]:
        """``context_paths``: a list of ``{path, permission: read|write}`` (permission defaults to read)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.expected(path, "a list of {path, permission}", value)
            return []
        found = []
        for index, entry in enumerate(value):
            where = (*path, index)
            section = self.mapping(where, entry)
            if section is None:
                continue
            self.known_keys(where, section, schema.CONTEXT_PATH)
            folder = self.optional(where, section, "path", self.folder)
            if folder is None:
                self.missing(where, "path")
                continue
            permission = self.optional(where, section, "permission", self.choice,
                                       choices=schema.CONTEXT_PERMISSIONS, strict=True)
            protected = self.optional(where, section, "protected_paths", self.string_list) or []
            found.append(ContextPath(path=folder, permission=permission or "read", protected=tuple(protected)))
        return found

    def sensitivity(self, path: KeyPath, value: Any) -> str | None:
        """``voting_sensitivity``: MassGen's values all load; those not implemented here use the default."""
        if value is None:
            return None
        found = self.text(path, value) if isinstance(value, str) else None
        if found is None:
            self.expected(path, f"one of {', '.join(strictness_levels.MASSGEN_SENSITIVITIES)}", value)
            return None
        if found in strictness_levels.SENSITIVITIES:
            return found
        if strictness_levels.is_massgen_sensitivity(found):
            self.warn(path, f"voting_sensitivity '{found}' is a MassGen mode that massgen-tui does not implement; "
                      f"'{strictness_levels.DEFAULT_SENSITIVITY}' (the default) is used")
        else:
            self.warn(path, f"unknown voting_sensitivity '{found}'"
                      f"{did_you_mean(found, strictness_levels.MASSGEN_SENSITIVITIES)}; "
                      f"'{strictness_levels.DEFAULT_SENSITIVITY}' (the default) is used")
        return strictness_levels.DEFAULT_SENSITIVITY


def _letters(position: int) -> str:
    """0 -> ``a``, 25 -> ``z``, 26 -> ``aa``: spreadsheet-style column letters."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
