"""The app's settings file (YAML, under the user config dir): the theme and a keymap by binding id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

SETTINGS_FILE = "settings.yaml"


def default_settings_path() -> Path:
    """``<user config dir>/settings.yaml``."""
    from massgen_tui.paths import user_config_dir

    return user_config_dir() / SETTINGS_FILE


@dataclass
class Settings:
    """``theme``: a theme name; ``keymap``: binding id -> keys (comma-separated), e.g. ``zoom: Z``."""

    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """The settings in ``path`` (defaults if it does not exist) and what was wrong with it, if anything."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, yaml.YAMLError) as exc:
        return Settings(), [f"{path}: {exc}; using default settings"]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Settings(), [f"{path}: expected a mapping; using default settings"]
    problems = []
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        problems.append(f"{path}: theme must be a name")
        theme = None
    keymap = data.get("keymap") or {}
    if not isinstance(keymap, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()):
        problems.append(f"{path}: keymap must map binding ids to keys, e.g. 'zoom: Z'")
        keymap = {}
    return Settings(theme=theme, keymap=dict(keymap)), problems


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` (creating its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, object] = {"theme": settings.theme, "keymap": settings.keymap}
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
