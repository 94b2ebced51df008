"""The form: edits go into the file without disturbing the rest of it; agents, keys and MCP servers."""

from __future__ import annotations

from dotenv import dotenv_values
from textual.widgets import Static

from massgen_tui.config import check_text
from massgen_tui.editor.widgets.agent_form import McpList
from tests.app.screen_text import screen_text
from tests.editor.pilot import SIZE, choose, editor, editor_app, paste_into, type_into

HAND_WRITTEN = """\
# Research team. Keep these notes!
agents:
  - id: scout        # quick first pass
    backend:
      type: ollama
      model: "llama3.2"
      temperature: 0.2   # low: facts only
    system_message: "List sources."
  # the reviewer gets the bigger model
  - id: reviewer
    backend:
      type: ollama
      model: qwen3:8b

ui:
  logging_enabled: true   # logs are needed for audits
"""


async def test_comments_order_and_quoting_survive_a_form_edit_and_save_keeps_a_backup(tmp_path, keys):
    path = tmp_path / "research.yaml"
    path.write_text(HAND_WRITTEN)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#agent-temperature", "0.5")
        await paste_into(pilot, "#agent-model", "llama3.1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not editor(pilot).dirty and " research.yaml   ✓ valid" in screen_text(app)
    assert path.read_text() == HAND_WRITTEN.replace('model: "llama3.2"', 'model: "llama3.1"').replace(
        "temperature: 0.2   # low", "temperature: 0.5   # low")
    assert (tmp_path / "research.yaml.bak").read_text() == HAND_WRITTEN


async def test_agents_are_added_duplicated_moved_and_removed_with_keys(tmp_path, keys):
    path = tmp_path / "research.yaml"
    path.write_text(HAND_WRITTEN)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)

        def ids() -> list[str]:
            return [agent["id"] for agent in screen.document.agents]

        await pilot.press("a")
        assert ids() == ["scout", "reviewer", "agent_3"] and screen.selected == 2
        await pilot.press("up", "up", "d")
        assert ids() == ["scout", "scout_copy", "reviewer", "agent_3"] and screen.selected == 1
        await pilot.press("shift+down", "shift+down")
        assert ids() == ["scout", "reviewer", "agent_3", "scout_copy"] and screen.selected == 3
        await pilot.press("x")
        assert ids() == ["scout", "reviewer", "agent_3"]
        await pilot.pause()
        shown = screen_text(app)
        assert "Agent 3 of 3" in shown and "✗ agent_3  openai · gpt-5-mini" in shown  # no OPENAI_API_KEY here
        text = screen.text_view.text
        assert text.startswith(HAND_WRITTEN.split("\n\nui:")[0])  # the first two agents as written
        assert text.endswith("      model: gpt-5-mini\n\nui:\n  logging_enabled: true   # logs are needed for audits\n")
        await pilot.press("f3", "ctrl+z")  # form edits are edits of the text: undo brings the agent back
        await pilot.pause()
        assert ids() == ["scout", "reviewer", "agent_3", "scout_copy"]


async def test_a_typed_key_goes_to_the_users_env_file_and_the_config_refers_to_it(tmp_path, keys):
    secret = "sk-ant-TYPED-KEY-never-shown-42"
    path = tmp_path / "team.yaml"
    path.write_text("agents:\n  - id: claude\n    backend:\n      type: claude\n      model: claude-haiku-4-5\n")
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        assert "missing (set ANTHROPIC_API_KEY)" in screen_text(app) and screen.config is None
        await pilot.press("k")  # the agent list has focus
        await paste_into(pilot, "#key-value", secret)
        assert secret not in screen_text(app)  # a password field
        await pilot.press("enter")
        await pilot.pause()
        dotenv = keys.config_dir / ".env"
        assert dotenv_values(dotenv) == {"ANTHROPIC_API_KEY": secret}
        assert "      api_key: ${ANTHROPIC_API_KEY}\n" in screen.text_view.text
        assert secret not in screen.text_view.text and secret not in screen_text(app)
        assert str(screen.query_one("#key-status", Static).content) == f"ANTHROPIC_API_KEY from {dotenv}"
        assert screen.config is not None and screen.config.agents[0].backend.api_key == secret


async def test_a_key_can_be_written_into_the_file_when_the_user_insists(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text("agents:\n  - id: claude\n    backend:\n      type: claude\n      model: claude-haiku-4-5\n")
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        await pilot.press("k")
        await paste_into(pilot, "#key-value", "sk-literal")
        await pilot.press("tab", "space", "shift+tab", "enter")  # tick "write the key itself into the config"
        await pilot.pause()
        assert "      api_key: sk-literal\n" in screen.text_view.text
        assert not (keys.config_dir / ".env").exists()
        assert "written in this file (hidden)" in screen_text(app)


async def test_mcp_servers_are_added_and_removed_in_the_list_form(tmp_path, keys):
    path = tmp_path / "team.yaml"
    path.write_text("agents:\n  - id: local\n    backend:\n      type: ollama\n      model: llama3.2\n")
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        screen.query_one("#mcp-list").focus()
        await pilot.press("a")
        await paste_into(pilot, "#mcp-name", "files")
        await paste_into(pilot, "#mcp-command", "npx")
        await paste_into(pilot, "#mcp-args", "-y @modelcontextprotocol/server-filesystem '/my docs'")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.text_view.text.endswith(
            "      mcp_servers:\n        - name: files\n          type: stdio\n          command: npx\n"
            "          args:\n            - -y\n            - '@modelcontextprotocol/server-filesystem'\n"
            "            - /my docs\n")
        assert screen.query_one(McpList).summaries == [
            "files  stdio: npx -y @modelcontextprotocol/server-filesystem '/my docs'"]
        config, issues = check_text(screen.text_view.text, env={})
        assert issues == [] and config.agents[0].backend.mcp_servers[0].args[-1] == "/my docs"

        await pilot.press("enter")  # edit it: make it a streamable-http server
        await choose(pilot, "#mcp-type", "str")
        await paste_into(pilot, "#mcp-url", "http://localhost:8931/mcp")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.text_view.text.endswith(
            "        - name: files\n          type: streamable-http\n          url: http://localhost:8931/mcp\n")

        screen.query_one("#mcp-list").focus()
        await pilot.press("x")
        assert screen.text_view.text == path.read_text()  # back to the file as it was


async def test_a_local_model_agent_gets_its_own_fields_and_a_remote_one_can_decide_in_json(tmp_path, keys):
    path = tmp_path / "research.yaml"
    path.write_text(HAND_WRITTEN)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen.query_one("#agent-form")
        assert not form.query_one("#agent-model-path").parent.display  # ollama: a server, no model file
        await pilot.click("#agent-structured")
        await pilot.pause()
        config, _ = check_text(editor(pilot).text_view.text, env={})
        assert config is not None and config.agents[0].backend.structured_output
        await choose(pilot, "#agent-type", "llamacpp")
        assert form.query_one("#agent-model-path").parent.display
        assert not form.query_one("#agent-base-url").parent.display
        await paste_into(pilot, "#agent-model-path", "models/tiny.gguf")
        await type_into(pilot, "#agent-n-ctx", "4096")
        text = editor(pilot).text_view.text
        assert "type: llamacpp" in text and "model_path: models/tiny.gguf" in text and "n_ctx: 4096" in text
        assert "not needed (runs in-process)" in screen_text(app)
