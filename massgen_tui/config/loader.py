"""Load a MassGen config file (YAML or JSON) into a resolved :class:`SessionConfig`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from massgen_tui.config.document import parse, read_config_text
from massgen_tui.config.env import load_env
from massgen_tui.config.model import SessionConfig
from massgen_tui.config.validate import build_config
from massgen_tui.errors import ConfigError, ConfigIssue


@dataclass(slots=True)
class LoadedConfig:
    """A usable config and the warnings found while loading it."""

    config: SessionConfig
    warnings: list[ConfigIssue] = field(default_factory=list)


def load_config(
    path: str | Path, *, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> LoadedConfig:
    """Read, check and resolve the config at ``path``.

    Raises :class:`ConfigError` holding every error (and the warnings, which often explain them).

    ``env`` replaces the whole environment (no ``.env`` files are read); by default it is
    ``os.environ`` over the ``.env`` files in ``cwd`` and the user config directory.
    """
    file = Path(path)
    text = read_config_text(file)
    environment = load_env(cwd) if env is None else env
    config, issues = build_config(parse(text, file), environment)
    if config is None:
        raise ConfigError(issues)
    return LoadedConfig(config, issues)


def check_text(
    text: str, file: Path | None = None, *, env: Mapping[str, str] | None = None, check_keys: bool = True
) -> tuple[SessionConfig | None, list[ConfigIssue]]:
    """Check config text (as a live editor would); never raises.

    Returns the config (``None`` when there are errors) and every error and warning.
    ``check_keys=False`` skips what depends on secrets (API keys, the Azure endpoint).
    """
    environment = load_env() if env is None else env
    try:
        document = parse(text, file)
    except ConfigError as exc:
        return None, exc.issues
    return build_config(document, environment, check_keys=check_keys)
