"""What the editor looks like: a valid config, one with problems, and the agent form.

Deterministic: a fixed terminal size, files named the same in every run, and keys from an
injected environment (never the machine's).
"""

from __future__ import annotations

from massgen_tui.editor import ConfigEditorApp, KeyEnvironment
from tests.editor.pilot import SIZE

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
