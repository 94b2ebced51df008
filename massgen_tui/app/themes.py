"""Themes as YAML files: the bundled ones in ``themes/`` and the user's in ``<config dir>/themes``."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import yaml
from textual.theme import Theme

from massgen_tui.bundled import bundled_dir

DEFAULT_THEME = "massgen-dark"
_THEME_FIELDS = {f.name for f in fields(Theme)}


class ThemeFileError(ValueError):
    """A theme file that cannot be used, with the reason."""


def bundled_theme_dir() -> Path:
    """The ``themes/`` folder that ships with massgen-tui."""
    return bundled_dir("themes")


def user_theme_dir() -> Path:
    """Where users drop their own theme files."""
    from massgen_tui.paths import user_config_dir

    return user_config_dir() / "themes"


def load_theme(path: Path) -> Theme:
    """A :class:`Theme` from one YAML file of Theme fields (``name`` and ``primary`` required)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not {"name", "primary"} <= data.keys():
        raise ThemeFileError(f"{path}: a theme needs at least 'name' and 'primary'")
    unknown = sorted(set(data) - _THEME_FIELDS)
    if unknown:
        raise ThemeFileError(f"{path}: unknown theme keys {', '.join(unknown)}")
    try:
        theme = Theme(**data)
        theme.to_color_system()  # colours are parsed here: fail now, not mid-frame
    except Exception as exc:
        raise ThemeFileError(f"{path}: {exc}") from exc
    return theme


def discover_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """Every loadable ``*.yaml`` theme in ``folders`` (later folders win on a name clash), and the errors."""
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            try:
                theme = load_theme(path)
            except ThemeFileError as exc:
                errors.append(str(exc))
                continue
            themes[theme.name] = theme
    return list(themes.values()), errors
