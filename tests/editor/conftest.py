"""Fixtures for the editor: an environment of keys that never touches the machine's own."""

from __future__ import annotations

import pytest

from massgen_tui.editor.keys import KeyEnvironment


@pytest.fixture
def keys(tmp_path) -> KeyEnvironment:
    """No environment variables, an empty working directory and an empty user config directory."""
    (tmp_path / "cwd").mkdir()
    return KeyEnvironment(environ={}, cwd=tmp_path / "cwd", config_dir=tmp_path / "config")
