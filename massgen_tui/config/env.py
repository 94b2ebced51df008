"""The environment a config sees: the real one over ``.env`` files, and ``${VAR}`` substitution."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from massgen_tui import paths
from massgen_tui.config.keypath import KeyPath

_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def load_env(
    cwd: Path | None = None, env: Mapping[str, str] | None = None, *, config_dir: Path | None = None
) -> dict[str, str]:
    """The merged environment: ``env`` (default ``os.environ``) over ``cwd/.env`` over the user's ``.env``.

    ``.env`` files only add variables; they never override the real environment, and
    ``os.environ`` is not changed. Variables inside ``.env`` files are not expanded.
    """
    merged: dict[str, str] = {}
    for directory in (config_dir or paths.user_config_dir(), cwd or Path.cwd()):
        merged.update(_read_dotenv(directory / ".env"))
    merged.update(os.environ if env is None else env)
    return merged


def _read_dotenv(path: Path) -> dict[str, str]:
    try:
        values = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError):
        return {}
    return {name: value for name, value in values.items() if value is not None}


def env_reference(text: str) -> str | None:
    """The variable name when ``text`` is exactly one ``${VAR}`` reference, else ``None``."""
    match = _REFERENCE.fullmatch(text.strip())
    return match.group(1) if match and match.group(2) is None else None


def substitute(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in ``text``; also return the unset variables' names.

    An unset variable without a default is left as written.
    """
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        value = env.get(name)
        if value is not None and (value or default is None):
            return value
        if default is not None:
            return default
        missing.append(name)
        return match.group(0)

    return _REFERENCE.sub(replace, text), missing


def substitute_tree(data: Any, env: Mapping[str, str]) -> tuple[Any, dict[KeyPath, list[str]]]:
    """A copy of a document with every string value substituted, and the unset variables by key path."""
    missing: dict[KeyPath, list[str]] = {}

    def walk(value: Any, path: KeyPath, seen: frozenset[int]) -> Any:
        if isinstance(value, str):
            result, names = substitute(value, env)
            if names:
                missing[path] = names
            return result
        if id(value) in seen:  # a YAML alias that contains itself
            return value
        inner = seen | {id(value)}
        if isinstance(value, dict):
            return {key: walk(item, (*path, str(key)), inner) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*path, index), inner) for index, item in enumerate(value)]
        return value

    return walk(data, (), frozenset()), missing
