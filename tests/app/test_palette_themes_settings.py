"""Command palette entries, theme files with live preview, and the settings file (theme, keymap)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import ContentSwitcher

from massgen_tui.app.export import session_markdown
from massgen_tui.app.palette import palette_commands
from massgen_tui.app.settings import Settings, load_settings, save_settings
from massgen_tui.app.themes import ThemeFileError, bundled_theme_dir, discover_themes, load_theme
from massgen_tui.app.widgets.sidebar import Sidebar
from massgen_tui.view.session_view import SessionView
from tests.app import scenarios
from tests.app.screen_text import screen_text
from tests.app.test_app_session import make_app, team, until

SIZE = (160, 40)


async def run_command(pilot, query: str) -> None:
    """Open the palette, search ``query`` and run the first hit."""
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one("Input").value = query
    await until(pilot, lambda: palette.query_one("CommandList").option_count > 0)
    await pilot.press("enter")
    await pilot.pause()


async def test_every_palette_command_does_what_it_says(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        app.live.apply_batch(scenarios.finished().events[2:])  # a finished turn for the opened session
        await pilot.press("escape", "escape")
        live = app.live
        switcher = live.query_one(ContentSwitcher)
        titles = [command.title for command in palette_commands(app)]
        assert {title.split(":")[0] for title in titles} == {"Agent", "View", "Answer", "Session", "App"}
        await run_command(pilot, "Agent: focus gamma")  # through the palette's own search and Enter
        assert app.focused is live.panels["gamma"].view

        async def run(title: str) -> None:
            command = next(c for c in palette_commands(app) if c.title.startswith(title))
            result = command.callback()
            if result is not None:
                await result
            await pilot.pause()

        await run("Agent: focus beta")
        assert app.focused is live.panels["beta"].view
        await run("Agent: zoom")
        assert live.maximized is live.panels["beta"]
        await run("Agent: zoom")
        assert live.maximized is None
        await run("Agent: search")
        assert live.query_one("#search-bar").display
        await pilot.press("escape")
        await run("Agent: expand or collapse every tool call")
        assert live.panels["alpha"].view.transcript.expand_tools
        await run("View: final answer or agents")
        assert switcher.current == "final"
        await run("View: final answer or agents")
        assert switcher.current == "agents"
        await run("View: show or hide the votes sidebar")
        assert not live.query_one(Sidebar).display
        await run("View: show or hide reasoning")
        assert not live.view.show_reasoning
        await run("View: switch theme")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await run("Answer: copy the final answer")
        assert app.clipboard.startswith("# Answer")
        await run("Answer: export the session to Markdown")
        (exported,) = tmp_path.glob("session-*.md")
        assert "## Final answer (alpha(agent1))" in exported.read_text()
        await run("Session: clear the conversation")
        assert app.driver.prepared.session.history == []
        await run("Session: new question")
        assert app.focused.id == "ask-bar"
        await run("App: quit")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


async def test_palette_cancels_a_running_turn(fake, tmp_path):
    from tests.fake_provider import Delay, Reply, Text

    fake.default(lambda request: Reply(Text("working "), Delay(30)))
    from tests.conftest import make_team

    app = make_app(make_team(fake, ("alpha", "chatcompletion", "slow")), "Q?", tmp_path=tmp_path,
                   logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any("working" in a.transcript.texts[-1:][0] for a in app.live.view.agents.values()
                                       if len(a.transcript)))
        await run_command(pilot, "Session: cancel the run")
        await until(pilot, lambda: not app.running)
        assert app.live.view.turn_status == "cancelled"


async def test_the_config_editor_opens_from_the_palette_and_run_starts_a_fresh_session(fake, tmp_path):
    from massgen_tui.app.live_screen import LiveScreen
    from massgen_tui.editor.screen import ConfigEditorScreen
    from tests.conftest import make_team

    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        await pilot.press("escape")
        await run_command(pilot, "Session: open the config editor")
        assert any(isinstance(screen, ConfigEditorScreen) for screen in app.screen_stack)
        while not isinstance(app.screen, LiveScreen):  # leave the editor (its chooser first)
            app.pop_screen()
            await pilot.pause()
        app._edited(make_team(fake, ("solo", "chatcompletion", "m1")))  # what the editor's Run hands back
        await until(pilot, lambda: list(app.live.panels) == ["solo"])
        assert app.focused.id == "ask-bar"


def editor_file(tmp_path):
    """A small team file to open in the editor, and a key environment that reads nothing of the user's."""
    from massgen_tui.editor import KeyEnvironment

    path = tmp_path / "team.yaml"
    path.write_text("agents:\n  - id: local\n    backend:\n      type: ollama\n      model: llama3.2\n")
    (tmp_path / "cwd").mkdir()
    return path, KeyEnvironment(environ={}, cwd=tmp_path / "cwd", config_dir=tmp_path / "config")


async def test_ctrl_q_in_the_live_app_asks_about_the_editors_unsaved_changes_first(fake, tmp_path):
    from massgen_tui.editor import open_config_editor
    from massgen_tui.editor.dialogs import UnsavedChangesDialog
    from massgen_tui.editor.screen import ConfigEditorScreen
    from tests.editor.pilot import type_into

    path, keys = editor_file(tmp_path)
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        open_config_editor(app, path, keys=keys)  # what the palette entry does, with a known file
        await pilot.pause()
        await type_into(pilot, "#agent-id", "mine")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        assert "team.yaml has changes that are not saved" in screen_text(app)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, ConfigEditorScreen) and app.return_code is None
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesDialog))
        await pilot.press("d")  # quit without saving
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0 and "id: local" in path.read_text()


async def test_help_opened_in_the_config_editor_lists_the_editors_keys(fake, tmp_path):
    from massgen_tui.app.help_screen import HelpScreen, active_sections, elsewhere_sections
    from massgen_tui.editor import open_config_editor
    from massgen_tui.editor.screen import ConfigEditorScreen

    path, keys = editor_file(tmp_path)
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        open_config_editor(app, path, keys=keys)
        await until(pilot, lambda: isinstance(app.screen, ConfigEditorScreen))
        editor = app.screen
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen.under() is editor
        now = {i for _, rows in active_sections(editor) for row in rows for i in row.ids}
        assert {"editor.save", "editor.save_as", "editor.run", "editor.close", "help"} <= now
        assert "zoom" not in now  # the live screen's keys do not act in the editor
        ids = now | {i for _, rows in elsewhere_sections(editor) for row in rows for i in row.ids}
        assert "editor.add_agent" in ids
        assert "editor.save" in screen_text(app)


async def test_theme_picker_previews_while_moving_and_persists_the_choice(fake, tmp_path):
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "massgen-dark"
        await pilot.press("escape")
        await run_command(pilot, "View: switch theme")
        app.screen.query_one("Input").value = "massgen-l"
        await until(pilot, lambda: app.theme == "massgen-light")  # previewed, not yet chosen
        assert not (tmp_path / "settings.yaml").exists()
        await pilot.press("escape")
        await until(pilot, lambda: app.theme == "massgen-dark")  # Esc restores
        await run_command(pilot, "View: switch theme")
        app.screen.query_one("Input").value = "high-contrast"
        await until(pilot, lambda: app.theme == "massgen-high-contrast")
        await pilot.press("enter")
        await pilot.pause()
    assert load_settings(tmp_path / "settings.yaml")[0].theme == "massgen-high-contrast"
    assert make_app(team(fake), tmp_path=tmp_path).theme == "massgen-high-contrast"  # the next start uses it


async def test_keymap_in_the_settings_file_remaps_bindings_by_id(fake, tmp_path):
    save_settings(tmp_path / "settings.yaml",
                  Settings(keymap={"zoom": "x", "final_answer": "ctrl+f", "interrupt": "ctrl+x"}))
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        hint_line = str(app.live.query_one("#key-hints").render())
        assert " x  zoom" in hint_line and " ^x  cancel" in hint_line and "^c" not in hint_line
        await pilot.press("escape", "2", "x")
        assert app.live.maximized is app.live.panels["beta"]
        await pilot.press("x", "z")
        assert app.live.maximized is None  # z is no longer zoom
        await pilot.press("ctrl+f")
        assert app.live.query_one(ContentSwitcher).current == "final"
        hints = {command.title: command.help for command in palette_commands(app)}
        assert hints["Agent: zoom or unzoom the focused agent"] == "Key x"  # the palette says the remapped key
        assert hints["View: final answer or agents"] == "Key Ctrl+F"
        assert hints["App: keys"] == "Key ?, F1"
        await pilot.press("question_mark")
        await pilot.pause()
        assert any("Ctrl+F" in line and "final_answer" in line for line in screen_text(app).splitlines())


def test_bundled_themes_load_and_there_are_at_least_four():
    themes, errors = discover_themes(bundled_theme_dir())
    assert errors == []
    assert {"massgen-dark", "massgen-light", "massgen-high-contrast"} <= {t.name for t in themes}
    assert len(themes) >= 4


def test_user_themes_override_and_bad_files_are_reported(tmp_path):
    (tmp_path / "mine.yaml").write_text("name: massgen-dark\nprimary: '#123456'\n")
    (tmp_path / "broken.yaml").write_text("name: oops\nprimary: not-a-colour\n")
    (tmp_path / "typo.yaml").write_text("name: typo\nprimary: '#fff'\nprimry: '#000'\n")
    themes, errors = discover_themes(bundled_theme_dir(), tmp_path)
    assert next(t for t in themes if t.name == "massgen-dark").primary == "#123456"
    assert len(errors) == 2 and any("primry" in e for e in errors)
    with pytest.raises(ThemeFileError):
        load_theme(tmp_path / "broken.yaml")


@pytest.mark.parametrize(("text", "message"), [
    ("name: mine\nprimary: 5\n", "mine.yaml:2:10: error: primary: expected a colour such as '#4EA1FF', got 5"),
    ("name: mine\nprimary: '#123456'\ndark: maybe\n",
     "mine.yaml:3:7: error: dark: expected true or false, got 'maybe'"),
    ("name: mine\nprimary: '#123456'\nprimry: '#000'\n",
     "mine.yaml:3:9: error: primry: unknown theme key (did you mean 'primary'?)"),
    ("name: mine\nprimary: '#123456'\nvariables: [a]\n", "mine.yaml:3:12: error: variables: expected a mapping"),
    ("name: mine\nprimary: '#12345g'\n",
     "mine.yaml:2:10: error: primary: expected a colour such as '#4EA1FF', got '#12345g'"),
    ("name: mine\nprimary: [\n", "mine.yaml:3:1: error: not valid YAML: expected the node content"),
    ("- name\n", "mine.yaml:1:1: error: a theme is a mapping of Theme fields"),
    ("name: mine\n", "mine.yaml:1:1: error: primary: missing"),
])
def test_a_broken_theme_file_gets_one_message_naming_file_line_and_key(tmp_path, text, message):
    (tmp_path / "mine.yaml").write_text(text)
    themes, errors = discover_themes(tmp_path)
    assert themes == [] and len(errors) == 1
    assert errors[0].startswith(f"{tmp_path}/{message}")


async def test_the_app_starts_on_the_default_theme_when_the_chosen_one_is_broken(fake, tmp_path):
    from massgen_tui.app.main import MassGenApp

    user_themes = tmp_path / "themes"
    user_themes.mkdir()
    (user_themes / "mine.yaml").write_text("name: mine\nprimary: 5\n")
    save_settings(tmp_path / "settings.yaml", Settings(theme="mine"))
    app = MassGenApp(team(fake), settings_path=tmp_path / "settings.yaml",
                     theme_dirs=[bundled_theme_dir(), user_themes], logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        assert app.theme == "massgen-dark"
        assert [n.message for n in app._notifications] == [
            f"{user_themes / 'mine.yaml'}:2:10: error: primary: expected a colour such as '#4EA1FF', got 5"]


async def test_an_unknown_chosen_theme_is_named_and_the_default_used(fake, tmp_path):
    save_settings(tmp_path / "settings.yaml", Settings(theme="nope"))
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        assert app.theme == "massgen-dark"
        assert [n.message for n in app._notifications] == [f"unknown theme 'nope' in {tmp_path / 'settings.yaml'}"]


def test_settings_round_trip_and_tolerate_a_broken_file(tmp_path):
    path = tmp_path / "nested" / "settings.yaml"
    assert load_settings(path) == (Settings(), [])
    save_settings(path, Settings(theme="massgen-light", keymap={"zoom": "Z"}))
    assert load_settings(path) == (Settings(theme="massgen-light", keymap={"zoom": "Z"}), [])
    path.write_text("keymap: [zoom]\n")
    settings, problems = load_settings(path)
    assert settings == Settings() and "keymap must map binding ids" in problems[0]
    path.write_text("theme: [\n")
    assert load_settings(path)[0] == Settings()


def test_export_keeps_agent_output_verbatim_in_fences():
    view = SessionView()
    t = scenarios.finished()
    t.add(scenarios.ev.TextDelta(agent_id="beta", text="```python\nprint(1)\n```"))
    view.apply_all(t.events)
    markdown = session_markdown(view)
    assert "````\n" in markdown and "```python" in markdown
    assert "- beta(agent2) → alpha(agent1): simple and right (cleared)" in markdown
    assert markdown.rstrip().endswith("- `[bold]` stays literal")


@pytest.mark.parametrize("theme", sorted(p.stem for p in Path(bundled_theme_dir()).glob("*.yaml")))
def test_each_bundled_theme(snap_compare, theme):
    async def themed(pilot) -> None:
        pilot.app.register_theme(load_theme(bundled_theme_dir() / f"{theme}.yaml"))
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(scenarios.ScreenApp(scenarios.voting().events), terminal_size=(120, 30), run_before=themed)
