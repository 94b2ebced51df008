"""Helpers for config tests: write a config file, load it, and read issues as the user sees them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from massgen_tui.config import load_config
from massgen_tui.errors import ConfigError

KEYS = {
    "OPENAI_API_KEY": "sk-openai-test",
    "ANTHROPIC_API_KEY": "sk-ant-test",
    "GEMINI_API_KEY": "gemini-test",
    "XAI_API_KEY": "xai-test",
    "AZURE_OPENAI_API_KEY": "azure-test",
    "AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com/",
}


def write(name: str, text: str) -> Path:
    """Write dedented ``text`` to ``name`` in the current directory; return the relative path."""
    path = Path(name)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def messages(path: Path, env: dict[str, str] | None = None) -> list[str]:
    """The lines a user sees when loading ``path`` fails (``env`` defaults to every provider key)."""
    with pytest.raises(ConfigError) as caught:
        load_config(path, env=KEYS if env is None else env)
    return [str(issue) for issue in caught.value.issues]
