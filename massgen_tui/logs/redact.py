"""Keep secrets out of everything written or shown: API keys, tokens, secret headers and env values."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from massgen_tui.config.model import SessionConfig

MASK = "***"
_SECRET_NAME = re.compile(r"(api[_-]?key|token|secret|password|passwd|authorization|credential)", re.I)
_MIN_SECRET_LENGTH = 6


class Redactor:
    """Replaces every known secret value in a text with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._secrets)


def secrets_of(config: SessionConfig, env: Mapping[str, str] | None = None) -> list[str]:
    """Every secret value a session may know: resolved keys, MCP headers and env, and secret-named env vars."""
    found: list[str] = []
    for agent in config.agents:
        backend = agent.backend
        if backend.api_key:
            found.append(backend.api_key)
        for server in backend.mcp_servers:
            found += list(server.headers.values())
            found += [v for k, v in server.env.items() if _SECRET_NAME.search(k)]
    environment = os.environ if env is None else env
    found += [v for k, v in environment.items() if _SECRET_NAME.search(k)]
    return found


def redact_document(raw: Any) -> Any:
    """A copy of a config document with values under secret-looking keys masked.

    ``${VAR}`` references are kept: they name a variable, not its value.
    """
    if isinstance(raw, Mapping):
        out = {}
        for key, value in raw.items():
            secret_key = isinstance(key, str) and (_SECRET_NAME.search(key) or key.lower() == "headers")
            out[key] = _mask(value) if secret_key else redact_document(value)
        return out
    if isinstance(raw, list):
        return [redact_document(v) for v in raw]
    return raw


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return value if re.fullmatch(r"\$\{[^}]+\}", value.strip()) else MASK
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value
