"""Key paths into a config document, written the way messages show them: ``agents[1].backend.model``."""

from __future__ import annotations

#: Mapping keys and list indexes from the document root.
KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """``("agents", 1, "backend")`` -> ``agents[1].backend``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
