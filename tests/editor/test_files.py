"""Saving: atomic, with the previous version kept; listing configs to offer."""

from __future__ import annotations

import os
import stat

import pytest

from massgen_tui.editor.files import backup_path, bundled_configs_dir, config_files, save_atomic


def test_a_new_file_is_written_private_with_no_backup(tmp_path):
    path = tmp_path / "sub" / "team.yaml"
    save_atomic(path, "agents: []\n")
    assert path.read_text() == "agents: []\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not backup_path(path).exists()
    assert os.listdir(path.parent) == ["team.yaml"]


def test_saving_over_a_file_keeps_the_old_version_and_its_permissions(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("old\n")
    path.chmod(0o644)
    save_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert backup_path(path).read_text() == "old\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(os.listdir(tmp_path)) == ["team.yaml", "team.yaml.bak"]


def test_a_failed_save_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "team.yaml"
    path.write_text("old\n")

    def broken_rename(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_rename)
    with pytest.raises(OSError):
        save_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_symbolic_link_is_followed(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    save_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"


def test_config_files_lists_yaml_and_json_only(tmp_path):
    for name in ("b.yaml", "a.yml", "c.json", "notes.txt", ".env"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in config_files(tmp_path)] == ["a.yml", "b.yaml", "c.json"]
    assert config_files(tmp_path / "missing") == []
    assert "three_provider_team.yaml" in [p.name for p in config_files(bundled_configs_dir())]
