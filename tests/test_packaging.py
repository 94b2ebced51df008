"""The wheel carries every subpackage and the bundled configs and themes."""

from __future__ import annotations

from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

REPO = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_for_the_wheel():
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "massgen_tui").rglob("__init__.py")}
    mapped = set(setuptools["package-dir"])
    assert set(setuptools["packages"]) == on_disk | mapped
    assert {name: setuptools["package-dir"][name] for name in mapped} == {
        "massgen_tui.bundled.configs": "configs", "massgen_tui.bundled.themes": "themes"}


def test_the_bundled_folders_are_found_from_a_checkout():
    from massgen_tui.app.themes import bundled_theme_dir
    from massgen_tui.editor.files import bundled_configs_dir

    assert (bundled_configs_dir() / "three_provider_team.yaml").is_file()
    assert (bundled_theme_dir() / "massgen-dark.yaml").is_file()
