"""The built-in file tools: what they do inside a workspace, and every escape refused with nothing touched outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from massgen_tui.workspace.file_tools import FileTools, Limits
from massgen_tui.workspace.fs import Folder
from massgen_tui.workspace.scope import Mount, PendingWrites, Scope


@pytest.fixture
def box(tmp_path: Path) -> tuple[FileTools, Path, Path]:
    """File tools on ``tmp_path/ws``, with ``tmp_path/outside`` holding a secret next to it."""
    workspace, outside = tmp_path / "ws", tmp_path / "outside"
    workspace.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret")
    return FileTools(Scope(own=Mount(Folder(workspace), shown="", writable=True))), workspace, outside


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_write_read_edit_list_glob_grep_move_delete(box) -> None:
    tools, workspace, _ = box
    assert not tools.call("write_file", {"path": "src/app.py", "content": "print('hi')\nx = 1\n"}).is_error
    assert tools.call("read_file", {"path": "src/app.py"}).text == "print('hi')\nx = 1\n"
    assert not tools.call("edit_file", {"path": "src/app.py", "old_text": "x = 1", "new_text": "x = 2"}).is_error
    assert (workspace / "src/app.py").read_text() == "print('hi')\nx = 2\n"
    twice = tools.call("edit_file", {"path": "src/app.py", "old_text": "", "new_text": "y"})
    assert twice.is_error
    tools.call("write_file", {"path": "README.md", "content": "# x = 2\n"})
    assert tools.call("list_directory", {"path": "."}).text == "README.md (8 bytes)\nsrc/"
    assert tools.call("glob", {"path": ".", "pattern": "**/*.py"}).text == "src/app.py"
    assert tools.call("grep", {"path": ".", "pattern": r"x = \d"}).text == "README.md:1: # x = 2\nsrc/app.py:2: x = 2"
    assert not tools.call("move_file", {"source": "src/app.py", "destination": "lib/main.py"}).is_error
    assert not tools.call("delete_file", {"path": "README.md"}).is_error
    assert snapshot_of(workspace) == {"lib/main.py": b"print('hi')\nx = 2\n"}


def test_edit_needs_the_text_exactly_once(box) -> None:
    tools, workspace, _ = box
    tools.call("write_file", {"path": "a.txt", "content": "same same"})
    outcome = tools.call("edit_file", {"path": "a.txt", "old_text": "same", "new_text": "other"})
    assert outcome.is_error and "occurs 2 times" in outcome.text
    assert (workspace / "a.txt").read_text() == "same same"


@pytest.mark.parametrize("path", ["../outside/secret.txt", "src/../../outside/secret.txt", "..", "/etc/passwd",
                                  "C:/Windows/win.ini", "a\0b.txt"])
def test_escaping_paths_are_refused_for_every_tool(box, path) -> None:
    tools, workspace, outside = box
    before = snapshot_of(outside)
    for name, args in [("read_file", {"path": path}), ("write_file", {"path": path, "content": "pwned"}),
                       ("edit_file", {"path": path, "old_text": "top", "new_text": "pwned"}),
                       ("list_directory", {"path": path}), ("glob", {"path": path, "pattern": "*"}),
                       ("grep", {"path": path, "pattern": "secret"}), ("delete_file", {"path": path}),
                       ("move_file", {"source": path, "destination": "stolen.txt"}),
                       ("move_file", {"source": "x", "destination": path})]:
        outcome = tools.call(name, args)
        assert outcome.is_error, (name, outcome.text)
        assert "refused" in outcome.text and "top secret" not in outcome.text
    assert snapshot_of(outside) == before
    assert snapshot_of(workspace) == {}
    assert not Path("/etc/pwned").exists()


def test_a_symlink_to_etc_or_outside_is_never_followed(box) -> None:
    tools, workspace, outside = box
    (workspace / "etc").symlink_to("/etc")
    (workspace / "out").symlink_to(outside)
    (workspace / "secret.txt").symlink_to(outside / "secret.txt")
    for name, args in [("read_file", {"path": "etc/passwd"}), ("read_file", {"path": "secret.txt"}),
                       ("write_file", {"path": "out/new.txt", "content": "x"}),
                       ("write_file", {"path": "secret.txt", "content": "overwritten"}),
                       ("edit_file", {"path": "secret.txt", "old_text": "top", "new_text": "x"}),
                       ("list_directory", {"path": "out"}), ("grep", {"path": "out", "pattern": "secret"}),
                       ("move_file", {"source": "a", "destination": "out/a"})]:
        outcome = tools.call(name, args)
        assert outcome.is_error and "symlink" in outcome.text, (name, outcome.text)
    assert "top secret" not in tools.call("grep", {"path": ".", "pattern": "secret"}).text
    assert snapshot_of(outside) == {"secret.txt": b"top secret"}
    # deleting the link removes the link, never its target
    assert not tools.call("delete_file", {"path": "secret.txt"}).is_error
    assert (outside / "secret.txt").read_text() == "top secret"
    assert "(symlink, not followed)" in tools.call("list_directory", {"path": "."}).text


def test_a_symlink_swapped_in_after_a_check_is_not_followed(box) -> None:
    """No check-then-open race: the open itself refuses a symlink (O_NOFOLLOW at every component)."""
    tools, workspace, outside = box
    tools.call("write_file", {"path": "d/f.txt", "content": "mine"})
    (workspace / "d" / "f.txt").unlink()
    os.rmdir(workspace / "d")
    (workspace / "d").symlink_to(outside)
    assert tools.call("write_file", {"path": "d/f.txt", "content": "x"}).is_error
    assert tools.call("read_file", {"path": "d/secret.txt"}).is_error
    assert snapshot_of(outside) == {"secret.txt": b"top secret"}


def test_a_one_gigabyte_write_is_refused_before_anything_is_written(box) -> None:
    tools, workspace, _ = box
    outcome = tools.call("write_file", {"path": "big.bin", "content": "x" * (1 << 30)})
    assert outcome.is_error and "over the limit" in outcome.text
    assert snapshot_of(workspace) == {}


def test_the_workspace_has_a_total_limit(tmp_path) -> None:
    (tmp_path / "ws").mkdir()
    tools = FileTools(Scope(own=Mount(Folder(tmp_path / "ws"), shown="", writable=True)),
                      Limits(write_bytes=100, workspace_bytes=250))
    assert not tools.call("write_file", {"path": "a", "content": "x" * 100}).is_error
    assert not tools.call("write_file", {"path": "b", "content": "x" * 100}).is_error
    outcome = tools.call("write_file", {"path": "c", "content": "x" * 100})
    assert outcome.is_error and "over its limit of 250" in outcome.text
    assert not tools.call("write_file", {"path": "a", "content": "y" * 100}).is_error  # replacing still fits
    assert sorted(p.name for p in (tmp_path / "ws").iterdir()) == ["a", "b"]


def test_peers_are_read_only_and_context_writes_are_held_back(tmp_path) -> None:
    for name in ("ws", "peer", "docs"):
        (tmp_path / name).mkdir()
    (tmp_path / "peer" / "plan.md").write_text("peer plan")
    (tmp_path / "docs" / "guide.md").write_text("old guide\n")
    pending = PendingWrites()
    scope = Scope(own=Mount(Folder(tmp_path / "ws"), shown="", writable=True),
                  peers={"agent2": Mount(Folder(tmp_path / "peer"), shown=".peers/agent2")},
                  context={"docs": Mount(Folder(tmp_path / "docs"), shown=".context/docs", writable=True,
                                         pending=pending)})
    tools = FileTools(scope)
    assert tools.call("read_file", {"path": ".peers/agent2/plan.md"}).text == "peer plan"
    assert tools.call("list_directory", {"path": ".peers"}).text == "agent2/ (read-only)"
    for name, args in [("write_file", {"path": ".peers/agent2/plan.md", "content": "mine now"}),
                       ("delete_file", {"path": ".peers/agent2/plan.md"}),
                       ("edit_file", {"path": ".peers/agent2/plan.md", "old_text": "peer", "new_text": "x"})]:
        outcome = tools.call(name, args)
        assert outcome.is_error and "read-only" in outcome.text
    assert (tmp_path / "peer" / "plan.md").read_text() == "peer plan"
    assert tools.call("edit_file", {"path": ".context/docs/guide.md", "old_text": "old", "new_text": "new"}).text \
        == "Edited .context/docs/guide.md."
    assert tools.call("read_file", {"path": ".context/docs/guide.md"}).text == "new guide\n"
    assert (tmp_path / "docs" / "guide.md").read_text() == "old guide\n"  # not written until approved
    assert pending.changes == {"guide.md": b"new guide\n"}


def test_a_fifo_is_refused_without_waiting_for_a_writer(box) -> None:
    tools, workspace, _ = box
    os.mkfifo(workspace / "pipe")
    outcome = tools.call("read_file", {"path": "pipe"})
    assert outcome.is_error and "not a regular file" in outcome.text
