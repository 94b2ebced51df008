"""The running config in the app: its warnings on start and in the palette, its file in the editor."""

from __future__ import annotations

from massgen_tui.app.config_warnings import ConfigWarningsScreen
from massgen_tui.config import load_config
from massgen_tui.editor.files import bundled_configs_dir
from massgen_tui.editor.screen import ConfigEditorScreen
from tests.app.screen_text import screen_text
from tests.app.test_app_session import SIZE, make_app, until
from tests.app.test_palette_themes_settings import run_command
from tests.conftest import FAKE_KEY, make_team

TEAM = """\
agents:
  - id: alpha
    backend:
      type: chatcompletion
      model: m1
      temprature: 0.2
      base_url: {url}
      api_key: {key}
    sytem_message: Be brief.
"""


def mistyped_team(fake, tmp_path):
    """A config file with two mistyped keys, loaded as the command line loads it."""
    path = tmp_path / "team.yaml"
    path.write_text(TEAM.format(url=fake.base_url("openai"), key=FAKE_KEY))
    return load_config(path, env={})


async def test_config_warnings_are_announced_on_start_and_listed_from_the_palette(fake, tmp_path):
    loaded = mistyped_team(fake, tmp_path)
    app = make_app(loaded.config, tmp_path=tmp_path, logging_enabled=False, config_warnings=loaded.warnings)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:  # a warning line on one row
        await until(pilot, lambda: len(app.live.panels) == 1)
        assert "2 config warnings: Ctrl+P, 'config warnings' lists them" in [n.message for n in app._notifications]
        assert screen_text(app).startswith(" team.yaml · ")
        await pilot.press("escape")
        await run_command(pilot, "config warnings")
        assert isinstance(app.screen, ConfigWarningsScreen)
        text = screen_text(app)
        assert "2 warnings in team.yaml" in text
        assert (f"{tmp_path}/team.yaml:6:7: agents[0].backend.temprature: unknown key 'temprature'; "
                "did you mean 'temperature'?") in text
        assert f"{tmp_path}/team.yaml:9:5: agents[0].sytem_message: unknown key 'sytem_message'" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ConfigWarningsScreen)


async def test_the_palettes_config_editor_opens_the_running_config_file(fake, tmp_path):
    loaded = mistyped_team(fake, tmp_path)
    app = make_app(loaded.config, tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 1)
        await pilot.press("escape")
        await run_command(pilot, "Session: open the config editor")
        assert isinstance(app.screen, ConfigEditorScreen)  # no chooser first
        assert app.screen.path == tmp_path / "team.yaml" and "temprature: 0.2" in app.screen.text_view.text


async def test_a_bundled_example_opens_in_the_editor_as_an_untitled_copy(fake, tmp_path):
    config = make_team(fake, ("alpha", "chatcompletion", "m1"))
    config.source = bundled_configs_dir() / "local_demo.yaml"  # what --local runs
    app = make_app(config, tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 1)
        app.action_edit_config()
        await pilot.pause()
        assert isinstance(app.screen, ConfigEditorScreen)
        assert app.screen.path is None and app.screen.display_name == "untitled (copy of local_demo.yaml)"
