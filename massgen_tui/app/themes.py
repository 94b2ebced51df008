"""Themes as YAML files: the bundled ones in ``themes/`` and the user's in ``<config dir>/themes``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

import yaml
from textual.color import Color, ColorParseError
from textual.theme import Theme

from massgen_tui.bundled import bundled_dir
from massgen_tui.errors import ConfigIssue

DEFAULT_THEME = "massgen-dark"
_THEME_FIELDS = {f.name for f in fields(Theme)}
_FLAGS = {"dark", "ansi"}
_NUMBERS = {"luminosity_spread", "text_alpha"}


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
    """A :class:`Theme` from one YAML file of Theme fields (``name`` and ``primary`` required).

    Raises :class:`ThemeFileError` with one message naming the file, line, column and key.
    """
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ThemeFileError(str(ConfigIssue("error", f"cannot read the theme: {exc.strerror}", path))) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ThemeFileError(_issue(path, mark, "", f"not valid YAML: {getattr(exc, 'problem', None) or exc}")) from exc
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise ThemeFileError(_issue(path, root.start_mark if root else None, "",
                                    "a theme is a mapping of Theme fields (name, primary, background, ...)"))
    for key_node, value_node in root.value:
        problem = _field_problem(key_node.value, data.get(key_node.value))
        if problem:
            raise ThemeFileError(_issue(path, value_node.start_mark, str(key_node.value), problem))
    missing = [key for key in ("name", "primary") if key not in data]
    if missing:
        raise ThemeFileError(_issue(path, root.start_mark, missing[0], "missing: a theme needs 'name' and 'primary'"))
    return Theme(**data)


def _field_problem(key: object, value: object) -> str | None:
    """What is wrong with one ``key: value`` of a theme file, or None."""
    if key not in _THEME_FIELDS:
        close = difflib.get_close_matches(str(key), sorted(_THEME_FIELDS), n=1)
        return "unknown theme key" + (f" (did you mean {close[0]!r}?)" if close else "")
    if key == "name":
        return None if isinstance(value, str) and value else f"expected a theme name, got {value!r}"
    if key in _FLAGS:
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if key in _NUMBERS:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {value!r}"
    if key == "variables":
        ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return None if ok else "expected a mapping of variable names to colours, e.g. text-muted: '#6F8489'"
    if value is None and key != "primary":
        return None
    if not isinstance(value, str):
        return f"expected a colour such as '#4EA1FF', got {value!r}"
    try:
        Color.parse(value)
    except ColorParseError:
        return f"expected a colour such as '#4EA1FF', got {value!r}"
    return None


def _issue(path: Path, mark: yaml.Mark | None, key: str, message: str) -> str:
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return str(ConfigIssue("error", message, path, line, column, key))


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


def starting_theme(chosen: str | None, available: Iterable[str]) -> str | None:
    """The theme to start on: the ``chosen`` one if it loaded, else the default (None if neither did)."""
    names = set(available)
    return next((name for name in (chosen, DEFAULT_THEME) if name in names), None)
