"""MCP tool calls as the user sees them in the app: a real stdio MCP server, the loopback fake provider."""

from __future__ import annotations

from tests.app.screen_text import first_panel_rows, screen_text
from tests.app.test_app_session import SIZE, make_app, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.fake_provider import CallTool, Reply, Text
from tests.tools.conftest import calc_server


async def test_a_tool_call_shows_in_the_panel_expands_to_its_result_and_is_counted(fake, tmp_path):
    fake.responder("m1", agent("2 + 3 = 5", first=[
        Reply(Text("Checking. "), CallTool("mcp__calc__add", {"a": 2, "b": 3}, id="call_1")),
        Reply(CallTool("mcp__calc__fail", {"message": "no such register"}, id="call_2")),
    ], final="5"))
    fake.responder("m2", agent("5", vote_for="agent1"))
    config = make_team(fake, ("alpha", "chatcompletion", "m1"), ("beta", "chatcompletion", "m2"))
    config.agents[0].backend.mcp_servers = [calc_server()]
    app = make_app(config, "What is 2 + 3?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_turn(app, pilot)
        await pilot.press("escape", "1")
        text = screen_text(app)
        assert "⚙ calc › add ✓ ok" in text and 'a=2 b=3' in text
        assert (
            "⚙ calc › fail ✗ error" in text and "alpha(agent1) 2 calls, 1" in text
        )  # ", 1 failed" wraps in the sidebar
        await pilot.press("T", "g")
        await pilot.pause()
        lines = first_panel_rows(app)
        add = next(i for i, line in enumerate(lines) if line.startswith("⚙ calc › add"))
        assert lines[add + 1:add + 8] == ["arguments:", "{", "\"a\": 2,", "\"b\": 3", "}", "result:", "5"]
        assert any("no such register" in line for line in lines)
        await pilot.press("G")
        await pilot.pause()
        lines = first_panel_rows(app)
        presenting = next(i for i, line in enumerate(lines) if line.startswith("── final answer"))
        assert any(line.startswith("⚙ new_answer ✗ error") for line in lines[presenting:])
        assert "not run: the final answer is being presented" in " ".join(lines[presenting:])
