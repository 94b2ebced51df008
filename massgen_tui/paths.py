"""Where massgen-tui keeps its files (platformdirs locations for the app "massgen-tui")."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_log_path

APP_NAME = "massgen-tui"


def user_config_dir() -> Path:
    """The user's configuration directory (holds an optional ``.env``)."""
    return user_config_path(APP_NAME, appauthor=False)


def user_log_dir() -> Path:
    """The directory session logs are written to."""
    return user_log_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    """The directory for files massgen-tui can fetch again (the embedded model)."""
    return user_cache_path(APP_NAME, appauthor=False)


def shown_path(path: Path) -> str:
    """``path`` as the user reads it: under the home folder as ``~/...`` (``Path.expanduser`` reverses it)."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)
