"""Quick setup without a file: one agent per ``--model``, like MassGen's ``--model``/``--backend`` flags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from massgen_tui.config import local_engine
from massgen_tui.config.credentials import lookup_api_key, missing_key_advice
from massgen_tui.config.env import load_env
from massgen_tui.config.model import AgentConfig, BackendConfig, SessionConfig
from massgen_tui.config.providers import PROVIDERS, ProviderPreset, infer_backend_type
from massgen_tui.config.validate import did_you_mean
from massgen_tui.errors import ConfigError, ConfigIssue


def config_from_models(
    models: list[str],
    backend: str | None = None,
    base_url: str | None = None,
    system_message: str | None = None,
    env: Mapping[str, str] | None = None,
) -> SessionConfig:
    """A session with one agent per model; the backend is ``backend`` or inferred from each model name.

    Raises :class:`ConfigError` with every problem (unknown backend, uninferable model, missing key).
    ``env`` replaces the environment; by default it is ``os.environ`` over the ``.env`` files.
    """
    environment = load_env() if env is None else env
    errors: list[ConfigIssue] = []
    if not models:
        errors.append(_issue("", "no model given: pass --model"))
    preset = _named_preset(backend, errors) if backend is not None else None
    if base_url is not None and (urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc):
        errors.append(_issue(f"--base-url {base_url}", "expected an http:// or https:// URL"))
    ids = _unique_ids(models)
    agents: list[AgentConfig] = []
    documents: list[dict[str, Any]] = []
    for model, agent_id in zip(models, ids, strict=True):
        where = f"--model {model}"
        if not model.strip():
            errors.append(_issue(where, "the model name is empty"))
            continue
        chosen = preset if backend is not None else _inferred_preset(model, where, errors)
        if chosen is None:
            continue
        backend_config = _backend(chosen, model, base_url, environment, agent_id, where, errors)
        agents.append(AgentConfig(id=agent_id, backend=backend_config, system_message=system_message))
        documents.append(_document(agent_id, chosen.type, model, base_url, system_message))
    if errors:
        raise ConfigError(errors)
    return SessionConfig(agents=agents, raw={"agents": documents}, name="--model quick setup")


def _issue(where: str, message: str) -> ConfigIssue:
    return ConfigIssue("error", message, key_path=where)


def _named_preset(backend: str, errors: list[ConfigIssue]) -> ProviderPreset | None:
    preset = PROVIDERS.get(backend.lower())
    if preset is None:
        advice = did_you_mean(backend.lower(), PROVIDERS) or f" (supported: {', '.join(PROVIDERS)})"
        errors.append(_issue(f"--backend {backend}", f"unknown backend type '{backend}'{advice}"))
    return preset


def _inferred_preset(model: str, where: str, errors: list[ConfigIssue]) -> ProviderPreset | None:
    inferred = infer_backend_type(model)
    if inferred is None:
        errors.append(
            _issue(
                where,
                f"cannot tell the backend from the model name '{model}'; pass --backend "
                f"(one of: {', '.join(PROVIDERS)})",
            )
        )
        return None
    return PROVIDERS[inferred]


def _backend(
    preset: ProviderPreset,
    model: str,
    base_url: str | None,
    env: Mapping[str, str],
    agent_id: str,
    where: str,
    errors: list[ConfigIssue],
) -> BackendConfig:
    if preset.family == "llamacpp":
        return _local_backend(preset, model, where, errors)
    url = base_url or (env.get(preset.base_url_env) if preset.base_url_env else None) or preset.base_url
    if preset.base_url_env and not url:
        errors.append(_issue(where, f"no endpoint for agent '{agent_id}' ({preset.type}): "
                                    f"set {preset.base_url_env} or pass --base-url"))
    lookup = lookup_api_key(preset, url, None, env)
    if lookup.missing:
        errors.append(_issue(where, f"no API key for agent '{agent_id}' ({preset.type}): "
                                    f"{missing_key_advice(lookup, in_file=False)}"))
    return BackendConfig(
        type=preset.type,
        family=preset.family,
        model=model,
        api_key=lookup.api_key,
        api_key_env=lookup.env_name,
        base_url=url,
        api_version=(env.get(preset.api_version_env) or None) if preset.api_version_env else None,
    )


def _local_backend(preset: ProviderPreset, model: str, where: str, errors: list[ConfigIssue]) -> BackendConfig:
    """A ``llamacpp`` agent: ``--model`` is the path of a GGUF file."""
    if not local_engine.engine_installed():
        errors.append(_issue(where, local_engine.missing_extra_message()))
    else:
        try:
            local_engine.resolve_model_path(model)
        except local_engine.LocalModelError as exc:
            errors.append(_issue(where, f"{exc} (with --backend llamacpp, --model is a .gguf file; "
                                        "--local runs the embedded model)"))
    return BackendConfig(
        type=preset.type, family=preset.family, model=Path(model).stem, model_path=model,
        structured_output=True, max_tokens=local_engine.DEFAULT_MAX_TOKENS,
    )


def _unique_ids(models: list[str]) -> list[str]:
    """Agent ids from model names (``openai/gpt-oss:20b`` -> ``openai_gpt-oss_20b``), made unique."""
    ids: list[str] = []
    for model in models:
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", model).strip("_") or "agent"
        candidate, number = base, 1
        while candidate in ids:
            number += 1
            candidate = f"{base}_{number}"
        ids.append(candidate)
    return ids


def _document(
    agent_id: str, backend: str, model: str, base_url: str | None, system_message: str | None
) -> dict[str, Any]:
    """The MassGen config entry equivalent to one quick-setup agent (for the session log)."""
    entry: dict[str, Any] = {"id": agent_id, "backend": {"type": backend, "model": model}}
    if base_url:
        entry["backend"]["base_url"] = base_url
    if system_message:
        entry["system_message"] = system_message
    return entry
