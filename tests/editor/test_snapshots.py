"""What the editor looks like: a valid config, one with problems, and the agent form.

Deterministic: a fixed terminal size, files named the same in every run, and keys from an
injected environment (never the machine's).
"""

from __future__ import annotations

from massgen_tui.editor import ConfigEditorApp, KeyEnvironment
from tests.editor.pilot import SIZE, type_into

VALID = """\
# A two-provider team with a local helper.
agents:
  - id: gpt          # drafts
    backend:
      type: openai
      model: gpt-5-mini
      reasoning:
        effort: low
  - id: claude
    backend:
      type: claude
      model: claude-sonnet-4-6
      temperature: 0.3
      enable_web_search: true
      mcp_servers:
        - name: files
          type: stdio
          command: npx
          args: [-y, "@modelcontextprotocol/server-filesystem", /srv/docs]
    system_message: "Check every claim against the docs."
  - id: local
    backend:
      type: ollama
      model: llama3.2

timeout_settings:
  orchestrator_timeout_seconds: 600
"""

WITH_PROBLEMS = """\
agents:
  - id: gpt
    backend:
      type: openai
      model: gpt-5-mini
      temprature: 0.2
  - id: claude
    backend:
      type: claude
      model: claude-sonnet-4-6
      max_tokens: lots
timeout_settings:
  orchestrator_timeout_seconds: -5
"""


def app_for(tmp_path, text: str) -> ConfigEditorApp:
    path = tmp_path / "team.yaml"
    path.write_text(text)
    (tmp_path / "cwd").mkdir(exist_ok=True)
    keys = KeyEnvironment(environ={"OPENAI_API_KEY": "sk-test"}, cwd=tmp_path / "cwd",
                          config_dir=tmp_path / "config")
    return ConfigEditorApp(path, keys=keys)


def test_a_valid_config(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, VALID.replace("type: claude", "type: claude\n      api_key: sk-ant-x")),
                        terminal_size=SIZE)


def test_a_config_with_errors_and_warnings(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, WITH_PROBLEMS), terminal_size=SIZE)


def test_the_agent_form(snap_compare, tmp_path):
    async def second_agent_model_field(pilot) -> None:
        await pilot.press("down")
        model = pilot.app.screen.query_one("#agent-model")
        model.cursor_blink = False
        model.focus()
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, VALID), terminal_size=SIZE, run_before=second_agent_model_field)


def test_the_chooser_of_bundled_and_own_configs(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # paths show as ~/...: the same in every run
    (tmp_path / "cwd").mkdir()
    mine = tmp_path / "config" / "configs"
    mine.mkdir(parents=True)
    (mine / "my-team.yaml").write_text(VALID)
    keys = KeyEnvironment(environ={}, cwd=tmp_path / "cwd", config_dir=tmp_path / "config")
    assert snap_compare(ConfigEditorApp(None, keys=keys), terminal_size=SIZE)


def test_the_unsaved_changes_warning(snap_compare, tmp_path):
    async def change_then_close(pilot) -> None:
        await type_into(pilot, "#agent-id", "drafter")
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, VALID), terminal_size=SIZE, run_before=change_then_close)


def test_the_save_as_dialog(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    async def save_as(pilot) -> None:
        await pilot.press("f12")
        await pilot.pause()
        pilot.app.screen.query_one("Input").cursor_blink = False

    assert snap_compare(app_for(tmp_path, VALID), terminal_size=SIZE, run_before=save_as)
