"""API keys in the editor: where each agent's key comes from (never its value) and storing a typed key.

A key typed into the form goes to the user's ``.env`` (``<user config dir>/.env``, created readable
by its owner only) under a variable name, and the config gets a ``${VAR}`` reference to it; the key
itself is written into the config only when the user asks for that explicitly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values, set_key

from massgen_tui import paths
from massgen_tui.config import PROVIDERS, infer_backend_type
from massgen_tui.config.credentials import lookup_api_key
from massgen_tui.config.env import env_reference, substitute
from massgen_tui.config.providers import ProviderPreset, preset_for_url

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class KeyEnvironment:
    """The variables a config sees, by source: the process environment, then ``.env`` files.

    The same layering as :func:`massgen_tui.config.load_env` (the environment wins over ``cwd/.env``,
    which wins over the user's ``.env``), remembering where each variable came from. Tests pass their own
    ``environ`` and directories so the machine's real keys never show.
    """

    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    cwd: Path = field(default_factory=Path.cwd)
    config_dir: Path = field(default_factory=paths.user_config_dir)
    _files: dict[Path, dict[str, str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def user_dotenv(self) -> Path:
        """The ``.env`` file typed keys are stored in."""
        return self.config_dir / ".env"

    def merged(self) -> dict[str, str]:
        """Every variable, as the loader sees them (``.env`` files are read once, until :meth:`store`)."""
        return {**self._dotenv(self.user_dotenv), **self._dotenv(self.cwd / ".env"), **self.environ}

    def source_of(self, name: str) -> str | None:
        """Where variable ``name`` is set: ``"the environment"``, a ``.env`` path, or ``None``."""
        if self.environ.get(name):
            return "the environment"
        for dotenv in (self.cwd / ".env", self.user_dotenv):
            if self._dotenv(dotenv).get(name):
                return str(dotenv)
        return None

    def store(self, name: str, value: str) -> None:
        """Write ``name=value`` into the user's ``.env`` (atomically; a new file is private to its owner)."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        set_key(self.user_dotenv, name, value)
        self._files.clear()

    def _dotenv(self, path: Path) -> dict[str, str]:
        if path not in self._files:
            try:
                values = dotenv_values(path, interpolate=False)
            except (OSError, UnicodeDecodeError):
                values = {}
            self._files[path] = {name: value for name, value in values.items() if value is not None}
        return self._files[path]


@dataclass(frozen=True, slots=True)
class KeyStatus:
    """Whether an agent's API key is available, and a sentence saying from where (never the key)."""

    available: bool
    text: str
    #: The variable a typed key should be stored under (``None`` when no key is needed).
    variable: str | None = None


def preset_of(backend: Mapping[str, Any]) -> ProviderPreset | None:
    """The provider preset a written backend uses (``type``, else inferred from ``model``)."""
    kind = backend.get("type")
    if isinstance(kind, str):
        return PROVIDERS.get(kind.lower())
    model = backend.get("model")
    inferred = infer_backend_type(model) if isinstance(model, str) else None
    return PROVIDERS.get(inferred) if inferred else None


def key_status(backend: Mapping[str, Any], agent_id: str, keys: KeyEnvironment) -> KeyStatus:
    """Where the key of a backend (as written in the file) comes from."""
    preset = preset_of(backend)
    if preset is None:
        return KeyStatus(False, "API key: choose a backend type first")
    env = keys.merged()
    base_url = backend.get("base_url")
    base_url = substitute(base_url, env)[0] if isinstance(base_url, str) else None
    if base_url is None and preset.base_url_env:
        base_url = env.get(preset.base_url_env)
    base_url = base_url or preset.base_url
    written = backend.get("api_key")
    suggested = suggested_variable(preset, base_url, agent_id)
    if isinstance(written, str) and written:
        reference = env_reference(written)
        if reference is None:
            return KeyStatus(True, "API key: written in this file (hidden)", suggested)
        source = keys.source_of(reference)
        if source is None:
            return KeyStatus(False, f"API key: ${{{reference}}} is not set", reference)
        return KeyStatus(True, f"API key: {reference} from {source}", reference)
    lookup = lookup_api_key(preset, base_url, None, env)
    if lookup.env_name:
        return KeyStatus(True, f"API key: {lookup.env_name} from {keys.source_of(lookup.env_name)}",
                         lookup.env_name)
    if not lookup.missing:
        where = "runs in-process" if preset.family == "llamacpp" else "local server"
        return KeyStatus(True, f"API key: not needed ({where})")
    wanted = " or ".join(lookup.candidates) if lookup.candidates else "api_key"
    return KeyStatus(False, f"API key: missing (set {wanted})", suggested)


def suggested_variable(preset: ProviderPreset, base_url: str | None, agent_id: str) -> str:
    """The variable a typed key is stored under: the provider's usual one, else ``<AGENT_ID>_API_KEY``."""
    candidates = preset.api_key_envs
    if preset.type == "chatcompletion" and base_url:
        owner = preset_for_url(base_url)
        candidates = owner.api_key_envs if owner else ()
    return candidates[0] if candidates else agent_variable(agent_id)


def agent_variable(agent_id: str) -> str:
    """A variable of the agent's own: ``gpt-main`` -> ``GPT_MAIN_API_KEY``."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", agent_id).strip("_").upper() or "AGENT"
    return f"{stem}_API_KEY" if stem[0].isalpha() else f"AGENT_{stem}_API_KEY"


def is_variable_name(name: str) -> bool:
    """Whether ``name`` can be an environment variable in a ``${VAR}`` reference."""
    return bool(_VARIABLE.fullmatch(name))
