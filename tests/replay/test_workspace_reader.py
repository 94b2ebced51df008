"""The workspace reader: versions that exist for the answers seen, their files, reading and diffing."""

from __future__ import annotations

import pytest

from massgen_tui.replay import workspaces as ws
from tests.replay.workspace_log import APP_V1, write_snapshots

ALL = [(1, "alpha", 1), (1, "beta", 1), (1, "alpha", 2)]


@pytest.fixture
def folder(tmp_path):
    write_snapshots(tmp_path)
    return tmp_path


def keys(versions):
    return [(v.turn, v.agent_id, v.version) for v in versions]


def test_only_the_answers_seen_are_listed_and_the_final_after_them(folder):
    assert keys(ws.versions(folder, ALL[:1])) == [(1, "alpha", 1)]
    every = ws.versions(folder, ALL, [(1, "alpha")])
    assert keys(every) == [(1, "alpha", 1), (1, "beta", 1), (1, "alpha", 2), (1, "alpha", None)]
    assert [v.name for v in every] == ["answer_1", "answer_1", "answer_2", "final"]


def test_an_answer_without_a_snapshot_folder_is_left_out(folder):
    assert keys(ws.versions(folder, [*ALL, (1, "gamma", 1), (2, "alpha", 1)])) == keys(ws.versions(folder, ALL))
    assert ws.any_workspace(folder)


def test_a_session_without_workspaces_says_so(tmp_path):
    (tmp_path / "turn_1" / "alpha").mkdir(parents=True)
    (tmp_path / "turn_1" / "alpha" / "answer_1.md").write_text("4")
    assert ws.versions(tmp_path, ALL) == [] and not ws.any_workspace(tmp_path)


def test_an_unsafe_agent_id_is_found_under_the_writer_s_file_name(tmp_path):
    root = ws.answer_root(tmp_path, 1, "team/lead ✓", 1)
    assert root.parent.parent.name != "team/lead ✓" and "/" not in root.parent.parent.name
    root.mkdir(parents=True)
    (root / "a.txt").write_text("x")
    assert ws.files(ws.versions(tmp_path, [(1, "team/lead ✓", 1)])[0]) == ["a.txt"]


def test_files_are_sorted_relative_paths_without_symlinks(folder, tmp_path_factory):
    beta = ws.versions(folder, ALL)[1]
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret")
    (beta.root / "link.txt").symlink_to(outside)
    assert ws.files(beta) == ["app.py", "docs/notes.md", "logo.png"]


def test_read_gives_text_binary_and_cut_files(folder):
    alpha1, beta = ws.versions(folder, ALL)[:2]
    assert ws.read(alpha1, "app.py") == ws.FileText(APP_V1, len(APP_V1))
    logo = ws.read(beta, "logo.png")
    assert logo.binary and logo.size == 11
    cut = ws.read(alpha1, "app.py", limit=10)
    assert cut.text == APP_V1[:10] and cut.truncated


def test_a_utf8_character_cut_at_the_limit_is_still_text(folder):
    alpha1 = ws.versions(folder, ALL)[0]
    (alpha1.root / "é.txt").write_text("é" * 10, encoding="utf-8")
    assert ws.read(alpha1, "é.txt", limit=5).text == "éé"


@pytest.mark.parametrize("path", ["../../../../etc/passwd", "/etc/passwd", "a\0b", "docs/../../x"])
def test_paths_out_of_the_version_are_refused(folder, path):
    with pytest.raises(ValueError, match="workspace"):
        ws.read(ws.versions(folder, ALL)[0], path)


def test_a_symlink_out_of_the_version_is_refused(folder, tmp_path_factory):
    alpha1 = ws.versions(folder, ALL)[0]
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret")
    (alpha1.root / "link.txt").symlink_to(outside)
    with pytest.raises(ValueError, match="leads out"):
        ws.read(alpha1, "link.txt")


def test_diff_between_two_versions_and_two_agents(folder):
    alpha1, beta, _, final = ws.versions(folder, ALL, [(1, "alpha")])
    lines = ws.diff(alpha1, "app.py", final, "app.py", {"alpha": "alpha(agent1)"})
    assert lines[0] == "--- alpha(agent1) answer_1 (turn 1)/app.py"
    assert lines[1] == "+++ alpha(agent1) final (turn 1)/app.py"
    assert "-def add(a, b):" in lines and "+print(add(3, 4))" in lines
    across = ws.diff(alpha1, "app.py", beta, "app.py")
    assert "-    return a + b" in across and "+    return sum((a, b))" in across


def test_diff_of_a_missing_file_adds_it_whole_and_same_files_say_so(folder):
    alpha1, _, alpha2 = ws.versions(folder, ALL)
    added = ws.diff(alpha1, "docs/notes.md", alpha2, "docs/notes.md")
    assert "+# Notes" in added and not any(line.startswith("-") and not line.startswith("---") for line in added)
    assert ws.diff(alpha1, "app.py", alpha1, "app.py") == [
        "no difference between alpha answer_1 (turn 1)/app.py and alpha answer_1 (turn 1)/app.py"]


def test_binary_diff_is_one_line(folder):
    beta = ws.versions(folder, ALL)[1]
    assert ws.diff(beta, "logo.png", beta, "logo.png")[0].endswith("are the same")
    assert ws.diff(beta, "logo.png", beta, "app.py")[0].endswith("differ")


def test_the_version_that_followed_an_edit():
    answers = [(1, "alpha", 1), (1, "beta", 1), (1, "alpha", 2)]
    finals = [(1, "alpha")]
    assert ws.following(answers, finals, "alpha", 1, 0) == (1, 1)
    assert ws.following(answers, finals, "alpha", 1, 2) == (1, 2)
    assert ws.following(answers, finals, "alpha", 1, 3) == (1, None)  # written while presenting
    assert ws.following(answers, [], "beta", 1, 2) is None  # no answer since
