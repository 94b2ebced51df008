"""The text view: validation marks problem lines as you type, and typing updates the form."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.app.screen_text import screen_text
from tests.editor.pilot import SIZE, editor, editor_app

LOCAL_TEAM = """\
# Our local team.
agents:
  - id: llama   # fast
    backend:
      type: ollama
      model: llama3.2
  - id: qwen
    backend:
      type: chatcompletion
      base_url: http://localhost:11434/v1
      model: qwen3:4b

timeout_settings:
  orchestrator_timeout_seconds: 300
"""


def write(tmp_path, text: str = LOCAL_TEAM, name: str = "team.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


async def test_an_error_typed_in_the_text_is_marked_listed_and_blocks_run(tmp_path, keys):
    app = editor_app(write(tmp_path), keys)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = editor(pilot)
        assert screen.issues == [] and "✓ valid" in screen_text(app)
        view = screen.text_view
        view.focus()
        view.cursor_location = (5, len("      model: llama3.2"))
        await pilot.press("enter")
        pilot.app.post_message(events.Paste("      temperature: hot"))  # the editor does not indent by itself
        await pilot.pause()

        assert view.marks == {6: "error"}
        assert " 7●       temperature: hot" in screen_text(app)  # the gutter marks line 7
        assert "✖   7:20 agents[0].backend.temperature: expected a number, got" in screen_text(app)
        assert "✖ 1 error" in screen_text(app)

        await pilot.press("ctrl+r")  # refused: the editor stays, the problems list gets focus
        await pilot.pause()
        assert app.is_running and app.focused is screen.query_one("#problems")
        assert "cannot run yet: fix 1 error first" in screen_text(app)
        view.cursor_location = (0, 0)
        await pilot.press("enter")  # jump to the problem
        assert app.focused is view and view.cursor_location == (6, 19)

        await pilot.press("ctrl+z")  # undo the typing: valid again, mark gone
        await pilot.pause()
        assert view.marks == {} and screen.issues == []


async def test_typing_in_the_text_updates_the_form(tmp_path, keys):
    app = editor_app(write(tmp_path), keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        view = screen.text_view
        view.focus()
        view.cursor_location = (5, len("      model: llama3.2"))
        await pilot.press("backspace", *"1:8b")
        await pilot.pause()
        assert screen.query_one("#agent-model", Input).value == "llama3.1:8b"
        assert "✓ llama  ollama · llama3.1:8b" in screen_text(app)


async def test_text_the_form_cannot_read_hides_the_form_until_it_is_fixed(tmp_path, keys):
    app = editor_app(write(tmp_path), keys)
    async with app.run_test(size=SIZE) as pilot:
        screen = editor(pilot)
        view = screen.text_view
        view.focus()
        view.cursor_location = (1, len("agents:"))
        await pilot.press(*" [")
        await pilot.pause()
        text = screen_text(app)
        assert "The form cannot read the text (invalid YAML" in text
        assert not screen.query_one("#agent-model").region  # the form is hidden
        assert screen.issues[0].level == "error" and screen.issues[0].message.startswith("invalid YAML")
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert screen.document is not None and screen.query_one("#agent-model", Input).value == "llama3.2"


async def test_an_api_key_written_in_the_file_is_never_shown(tmp_path, keys):
    secret = "sk-live-SECRET-VALUE-123456"
    text = LOCAL_TEAM.replace("      model: llama3.2\n", f"      model: llama3.2\n      api_key: {secret}\n")
    app = editor_app(write(tmp_path, text), keys)
    async with app.run_test(size=SIZE):
        shown = screen_text(app)
        assert secret not in shown
        assert "api_key: " + "*" * len(secret) in shown
        assert "written in this file (hidden)" in shown
