"""``massgen-tui config [PATH]`` from the command line: needs a terminal; Run goes on to the live app."""

from __future__ import annotations

import sys

import pytest

from massgen_tui import commands, exit_codes
from massgen_tui.config import config_from_models


def test_help_describes_the_editor(capsys):
    with pytest.raises(SystemExit) as exited:
        commands.main(["config", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: massgen-tui config [-h] [path]") and "Run (Ctrl+R) starts a live session" in out


def test_without_a_terminal_it_explains_instead_of_drawing(capsys, tmp_path):
    assert commands.main(["config", str(tmp_path / "team.yaml")]) == exit_codes.CONFIG_ERROR
    assert capsys.readouterr().err == "massgen-tui config: error: the config editor needs a terminal\n"


def test_a_folder_is_refused(capsys, tmp_path):
    assert commands.main(["config", str(tmp_path)]) == exit_codes.CONFIG_ERROR
    assert f"{tmp_path} is a folder, not a config file" in capsys.readouterr().err


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_run_in_the_editor_starts_the_live_app_with_that_config(monkeypatch, tmp_path):
    config = config_from_models(["llama3.2"], backend="ollama")
    opened: list = []
    started: list = []

    class Editor:
        def __init__(self, path, **options):
            opened.append((path, options))

        def run(self):
            return config

    class Live:
        return_code = 0

        def __init__(self, session_config, question=None, **options):
            started.append((session_config, question))

        def run(self):
            started.append("ran")

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setattr("massgen_tui.editor.app.ConfigEditorApp", Editor)
    monkeypatch.setattr("massgen_tui.app.main.MassGenApp", Live)
    settings = tmp_path / "settings.yaml"
    settings.write_text("keymap:\n  editor.close: ctrl+w\n")
    monkeypatch.setattr("massgen_tui.app.settings.default_settings_path", lambda: settings)
    assert commands.main(["config", str(tmp_path / "team.yaml")]) == exit_codes.OK
    assert opened == [(tmp_path / "team.yaml", {"keymap": {"editor.close": "ctrl+w"}, "notices": []})]
    assert started == [(config, None), "ran"]


def test_closing_the_editor_without_run_starts_nothing(monkeypatch, tmp_path):
    class Editor:
        def __init__(self, path, **options):
            assert path is None

        def run(self):
            return None

    def no_live_app(*args, **kwargs):
        raise AssertionError("the live app must not start")

    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stdout", _Terminal())
    monkeypatch.setattr("massgen_tui.editor.app.ConfigEditorApp", Editor)
    monkeypatch.setattr("massgen_tui.app.main.MassGenApp", no_live_app)
    monkeypatch.setattr("massgen_tui.app.settings.default_settings_path", lambda: tmp_path / "settings.yaml")
    assert commands.main(["config"]) == exit_codes.OK
