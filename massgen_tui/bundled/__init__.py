"""Files that ship with massgen-tui: the example ``configs`` and the ``themes`` (the repo's top-level folders)."""

from __future__ import annotations

from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]


def bundled_dir(name: str) -> Path:
    """The shipped ``configs`` or ``themes`` folder: the installed copy, else the source checkout's."""
    installed = Path(__file__).resolve().parent / name
    return installed if installed.is_dir() else _REPO / name
