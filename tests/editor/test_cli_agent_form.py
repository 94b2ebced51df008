"""The form for CLI agents: Claude Code's permission mode and tool lists, model suggestions for both CLIs."""

from __future__ import annotations

from massgen_tui.config import check_text
from tests.app.screen_text import screen_text
from tests.editor.pilot import SIZE, choose, editor, editor_app, paste_into
from tests.editor.test_snapshots import app_for

CODING_TEAM = """\
agents:
  - id: coder
    backend:
      type: claude_code
      cwd: coder_ws
      allowed_tools: [Read, Write]
  - id: codex
    backend:
      type: codex
      model: gpt-5-codex
"""


async def test_a_claude_code_agent_edits_permission_mode_and_tool_lists(tmp_path, keys):
    path = tmp_path / "coding.yaml"
    path.write_text(CODING_TEAM)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        text = screen_text(app)
        assert "Claude Code tools: Read, Write, Edit" in text and "temperature" not in text
        assert app.screen.query_one("#agent-allowed-tools").value == "Read, Write"
        await paste_into(pilot, "#agent-allowed-tools", "Read, Write, Bash")
        await paste_into(pilot, "#agent-disallowed-tools", "WebFetch")
        await choose(pilot, "#agent-permission-mode", "bypassPermissions")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not editor(pilot).dirty
    written = path.read_text()
    assert "allowed_tools: [Read, Write, Bash]" in written or "- Bash" in written
    assert "disallowed_tools:" in written and "WebFetch" in written
    assert "permission_mode: bypassPermissions" in written
    _, issues = check_text(written, path)
    assert [i for i in issues if i.level == "error"] == []


async def test_a_codex_agent_hides_the_claude_code_fields_and_suggests_codex_models(tmp_path, keys):
    path = tmp_path / "coding.yaml"
    path.write_text(CODING_TEAM)
    app = editor_app(path, keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "Claude Code tools" not in text and "allowed tools" not in text
        assert "OpenAI Codex agent (codex CLI)" in text and "gpt-5-codex" in text


def test_the_form_of_a_claude_code_agent(snap_compare, tmp_path):
    assert snap_compare(app_for(tmp_path, CODING_TEAM), terminal_size=SIZE)
