"""Opening (the chooser, every bundled config), Save As, and the warning before unsaved changes are lost."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from massgen_tui.editor import ConfigEditorApp, ConfigEditorScreen, KeyEnvironment, open_config_editor
from massgen_tui.editor.dialogs import Choice, UnsavedChangesDialog
from massgen_tui.editor.files import bundled_configs_dir
from tests.app.screen_text import screen_text
from tests.editor.pilot import SIZE, editor, editor_app, paste_into, type_into

TEAM = "agents:\n  - id: local\n    backend:\n      type: ollama\n      model: llama3.2\n"
#: Every variable the bundled configs read, with made-up values.
ALL_KEYS = {name: "test-key" for name in (
    "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "XAI_API_KEY", "AZURE_OPENAI_API_KEY")}
ALL_KEYS |= {"AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com/", "AZURE_OPENAI_API_VERSION": "2024-10-21"}


async def test_leaving_with_unsaved_changes_asks_first(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # nothing changed: closes at once
        await pilot.pause()
    assert app.return_value is None and not app.is_running

    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#agent-id", "mine")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        assert "team.yaml has changes that are not saved. Save them before closing?" in screen_text(app)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, ConfigEditorScreen) and app.screen.dirty
        await pilot.press("ctrl+q")  # quitting asks the same
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("s")  # save, then leave
        await pilot.pause()
    assert not app.is_running and app.return_value is None
    assert path.read_text() == TEAM.replace("id: local", "id: mine")


async def test_run_with_unsaved_changes_offers_to_run_without_saving(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#agent-id", "mine")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Run without saving (d)" in screen_text(app)
        await pilot.press("d")  # discard: the file stays as it was
        await pilot.pause()
    assert app.return_value is not None and app.return_value.agents[0].id == "mine"
    assert path.read_text() == TEAM


async def test_the_chooser_offers_examples_as_copies_and_the_users_configs(tmp_path, keys):
    yours = keys.config_dir / "configs"
    yours.mkdir(parents=True)
    (yours / "mine.yaml").write_text(TEAM)
    app = editor_app(None, keys)
    async with app.run_test(size=SIZE) as pilot:
        shown = screen_text(app)
        assert "+ New empty team" in shown and "  claude.yaml" in shown and "  mine.yaml" in shown
        await pilot.press("down", "enter")  # the first example (the heading is skipped)
        await pilot.pause()
        screen = editor(pilot)
        first_example = sorted(bundled_configs_dir().glob("*.yaml"))[0]
        assert screen.path is None and screen.template_of == first_example
        assert screen.text_view.text == first_example.read_text()
        assert f" untitled (copy of {first_example.name})" in screen_text(app)
        original = first_example.read_text()
        await type_into(pilot, "#agent-id", "mine")
        await pilot.press("ctrl+s")  # an example is never overwritten: Save As, into the user's folder
        await pilot.pause()
        suggested = yours / first_example.name
        assert app.screen.query_one("#save-path").value == str(suggested)
        note = app.screen.query_one("#save-note")
        await paste_into(pilot, None, str(yours / "mine.yaml"))
        assert str(note.content) == "mine.yaml exists: it will be replaced (the old version is kept as mine.yaml.bak)"
        await paste_into(pilot, None, str(yours / "copy.txt"))
        assert str(note.content) == "the name must end in .yaml or .yml (the format stays as it is)"
        await pilot.press("enter")  # refused: the dialog stays
        await paste_into(pilot, None, str(suggested))
        await pilot.press("enter")
        await pilot.pause()
        assert screen.path == suggested and not screen.dirty
    changed = [(a, b) for a, b in zip(original.splitlines(), suggested.read_text().splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].endswith("id: mine")
    assert first_example.read_text() == original


async def test_every_bundled_config_opens_without_errors(tmp_path):
    keys = KeyEnvironment(environ=ALL_KEYS, cwd=tmp_path, config_dir=tmp_path / "config")
    bundled = sorted(p for p in bundled_configs_dir().iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    app = ConfigEditorApp(bundled[0], keys=keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        for path in bundled:
            screen.open(Choice(path))
            await pilot.pause()
            assert [issue for issue in screen.issues if issue.level == "error"] == [], path.name
            assert screen.document is not None and screen.query_one("#agents").option_count >= 1, path.name
            assert screen.text_view.text == path.read_text(), path.name


def test_bundled_configs_are_found(tmp_path):
    assert (bundled_configs_dir() / "three_provider_team.yaml").is_file()
    assert Path(__file__).parents[2] / "configs" == bundled_configs_dir()


async def test_keys_follow_the_keymap_it_is_given(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    app = ConfigEditorApp(path, keys=keys, keymap={"editor.close": "ctrl+w"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+w")
        await pilot.pause()
    assert not app.is_running


async def test_any_app_can_open_the_editor_and_gets_the_config_on_run(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text(TEAM)
    results: list = []

    class Host(App):
        def on_mount(self) -> None:
            open_config_editor(self, path, results.append, keys=keys)

    async with Host().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfigEditorScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfigEditorScreen)
    assert [agent.id for agent in results[0].agents] == ["local"] and results[0].source == path
