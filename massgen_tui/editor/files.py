"""Config files on disk: where they are offered from, and saving without ever leaving a half-written file."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from massgen_tui import paths
from massgen_tui.bundled import bundled_dir

CONFIG_SUFFIXES = (".yaml", ".yml", ".json")

#: The text of a new, empty team.
NEW_TEAM_TEXT = """\
# A MassGen team made with massgen-tui's config editor.
# Add agents in the form (a), or write them here.
agents: []
"""


def bundled_configs_dir() -> Path:
    """The example configs that ship with massgen-tui (``configs/`` of the repo)."""
    return bundled_dir("configs")


def user_configs_dir(config_dir: Path | None = None) -> Path:
    """Where the user's own configs live: ``<user config dir>/configs`` (``config_dir`` replaces the former)."""
    return (config_dir or paths.user_config_dir()) / "configs"


def config_files(directory: Path) -> list[Path]:
    """The config files in ``directory``, sorted by name (none if it does not exist)."""
    try:
        return sorted(p for p in directory.iterdir() if p.suffix.lower() in CONFIG_SUFFIXES and p.is_file())
    except OSError:
        return []


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``team.yaml`` -> ``team.yaml.bak``."""
    return path.with_name(path.name + ".bak")


def save_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename; the old file becomes ``.bak``.

    A crash at any moment leaves either the old or the new file complete, never a mix.
    The new file keeps the old one's permissions; a file that did not exist is made readable by its
    owner only (configs may hold keys). A symbolic link is followed: its target is rewritten.
    """
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
            shutil.copy2(path, backup_path(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
