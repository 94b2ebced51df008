"""The editor warns before saving over a file changed on disk since it was opened: reload, overwrite or save as."""

from __future__ import annotations

from massgen_tui.editor.dialogs import ChangedOnDiskDialog, SaveAsDialog
from tests.editor.pilot import SIZE, editor, editor_app, type_into

TEAM = "agents:\n  - id: local\n    backend:\n      type: ollama\n      model: llama3.2\n"
THEIRS = TEAM.replace("llama3.2", "qwen3")


async def _edit_then_save_after_someone_else(pilot, path) -> None:
    await type_into(pilot, "#agent-id", "mine")
    path.write_text(THEIRS)  # another editor saved meanwhile
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ChangedOnDiskDialog)


async def test_reload_takes_the_file_on_disk(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    async with editor_app(path, keys).run_test(size=SIZE) as pilot:
        await _edit_then_save_after_someone_else(pilot, path)
        await pilot.press("r")
        await pilot.pause()
        screen = editor(pilot)
        assert pilot.app.screen is screen and screen.text_view.text == THEIRS and not screen.dirty
    assert path.read_text() == THEIRS


async def test_overwrite_writes_the_edit(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    async with editor_app(path, keys).run_test(size=SIZE) as pilot:
        await _edit_then_save_after_someone_else(pilot, path)
        await pilot.press("o")
        await pilot.pause()
        assert not editor(pilot).dirty
        await pilot.press("ctrl+s")  # saved by us since: no second warning
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ChangedOnDiskDialog)
    assert path.read_text() == TEAM.replace("id: local", "id: mine")


async def test_save_as_keeps_their_file_and_writes_ours_elsewhere(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    other = tmp_path / "mine.yaml"
    async with editor_app(path, keys).run_test(size=SIZE) as pilot:
        await _edit_then_save_after_someone_else(pilot, path)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SaveAsDialog)
        await type_into(pilot, "#save-path", str(other))
        await pilot.press("enter")
        await pilot.pause()
        assert editor(pilot).path == other
    assert path.read_text() == THEIRS and other.read_text() == TEAM.replace("id: local", "id: mine")


async def test_esc_saves_nothing_and_an_unchanged_file_saves_without_asking(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    async with editor_app(path, keys).run_test(size=SIZE) as pilot:
        await _edit_then_save_after_someone_else(pilot, path)
        await pilot.press("escape")
        await pilot.pause()
        assert editor(pilot).dirty and pilot.app.screen is editor(pilot)
        assert path.read_text() == THEIRS
    path.write_text(TEAM)
    async with editor_app(path, keys).run_test(size=SIZE) as pilot:
        await type_into(pilot, "#agent-id", "mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ChangedOnDiskDialog)
    assert path.read_text() == TEAM.replace("id: local", "id: mine")


def test_the_changed_on_disk_warning(snap_compare, tmp_path):
    from massgen_tui.editor import ConfigEditorApp, KeyEnvironment

    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    (tmp_path / "cwd").mkdir()
    app = ConfigEditorApp(path, keys=KeyEnvironment(environ={}, cwd=tmp_path / "cwd", config_dir=tmp_path / "c"))

    async def change_then_save(pilot) -> None:
        await _edit_then_save_after_someone_else(pilot, path)

    assert snap_compare(app, terminal_size=SIZE, run_before=change_then_save)
