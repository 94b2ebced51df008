"""Config tests run in a temporary working directory, so messages show short relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh current directory for each test."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
