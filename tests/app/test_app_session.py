"""The app driving real sessions against the loopback fake provider: turns, follow-ups, commands, Ctrl+C."""

from __future__ import annotations

import inspect
import json
import time
from pathlib import Path

from massgen_tui.app.help_screen import HelpScreen
from massgen_tui.app.main import MassGenApp
from massgen_tui.app.themes import bundled_theme_dir
from massgen_tui.app.widgets.final_view import final_answer_file
from tests.app.screen_text import screen_text
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.fake_provider import Delay, Reply, Text

SIZE = (160, 40)


def make_app(config, question=None, *, tmp_path, **kwargs) -> MassGenApp:
    """The app with its settings in ``tmp_path`` and only the bundled themes (never the user's files)."""
    return MassGenApp(config, question, settings_path=tmp_path / "settings.yaml", theme_dirs=[bundled_theme_dir()],
                      **kwargs)


def team(fake, **kwargs):
    fake.responder("m1", agent("Four.", final="The final answer is **4**."))
    fake.responder("m2", agent("4", vote_for="agent1"))
    fake.responder("m3", agent("IV", vote_for="agent1"))
    return make_team(fake, ("alpha", "chatcompletion", "m1"), ("beta", "claude", "m2"), ("gamma", "gemini", "m3"),
                     **kwargs)


async def submit(app: MassGenApp, pilot, text: str) -> None:
    """Press i, put ``text`` in the question bar and press Enter (typing long text key by key is slow)."""
    await pilot.press("i")
    await send_typed(app, pilot, text)


async def send_typed(app: MassGenApp, pilot, text: str) -> None:
    """Put ``text`` in the focused question bar and press Enter."""
    assert app.focused.id == "ask-bar"
    app.focused.value = text
    await pilot.press("enter")


async def until(pilot, condition, seconds: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds; fail the test if it does not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not true after {seconds} s: {inspect.getsource(condition).strip()}"
        await pilot.pause(0.02)


async def wait_for_turn(app: MassGenApp, pilot) -> None:
    await pilot.pause(0.05)
    for _ in range(200):
        if not app.running:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.1)  # one more batch of events reaches the screen


async def test_a_question_runs_to_a_final_answer_then_a_follow_up_carries_the_conversation(fake, tmp_path):
    app = make_app(team(fake), "What is 2+2?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_turn(app, pilot)
        text = screen_text(app)
        assert "Final answer by alpha(agent1)" in text and "The final answer is 4." in text
        assert app.focused.id == "final-scroll"  # the keys stay with the screen (i asks a follow-up)
        saved = final_answer_file(app.live.view)
        assert saved in text.replace("\n", "") or saved[:60] in text  # the header names the saved answer
        assert Path(saved).read_text() == app.live.view.final_text
        await submit(app, pilot, "and 3+3?")
        await wait_for_turn(app, pilot)
        assert app.live.view.turn == 2
        follow_up = fake.requests_for("m1")[-1]
        assert "What is 2+2?" in json.dumps(follow_up.body)  # the first exchange went along
        await pilot.press("escape")  # from the final answer back to the agents
        assert "━━ turn 2: and 3+3?" in screen_text(app) and app.live.view.turn == 2
        await pilot.press("i", *"/quit", "enter")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    (log_dir,) = (tmp_path / "logs").iterdir()
    lines = (log_dir / "events.jsonl").read_text().splitlines()
    assert json.loads(lines[-1])["type"] == "session_ended"


async def test_clear_forgets_the_conversation(fake, tmp_path):
    app = make_app(team(fake), "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for_turn(app, pilot)
        await submit(app, pilot, "/clear")
        await pilot.pause()
        assert "conversation cleared" in screen_text(app)
        await submit(app, pilot, "fresh question")
        await wait_for_turn(app, pilot)
        assert "What is 2+2?" not in json.dumps(fake.requests_for("m1")[-1].body)


async def test_no_question_asks_in_the_input_bar_and_contacts_no_provider_until_then(fake, tmp_path):
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert app.focused.id == "ask-bar" and fake.requests == []  # nothing to do but ask: the bar has the keys
        await send_typed(app, pilot, "What is 2+2?")
        await wait_for_turn(app, pilot)
        assert app.live.view.final_done


async def test_ctrl_c_cancels_the_running_turn_keeps_the_log_and_a_second_ctrl_c_quits(fake, tmp_path):
    fake.default(lambda request: Reply(Text("thinking "), Delay(30), Text("too late")))
    config = make_team(fake, ("alpha", "chatcompletion", "slow1"), ("beta", "chatcompletion", "slow2"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "thinking" in screen_text(app))  # the agents are mid-reply
        await pilot.press("ctrl+c")
        await wait_for_turn(app, pilot)
        assert not app.running and app.live.view.turn_status == "cancelled"
        assert "Ctrl+C again to quit" in " ".join(screen_text(app).split())
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 130  # interrupted, as the README says
    (log_dir,) = (tmp_path / "logs").iterdir()
    events = [json.loads(line) for line in (log_dir / "events.jsonl").read_text().splitlines()]
    assert [e["status"] for e in events if e["type"] == "turn_ended"] == ["cancelled"]
    assert events[-1]["type"] == "session_ended"


async def test_ctrl_c_cancels_the_running_turn_with_text_selected_too_and_copies_nothing(fake, tmp_path):
    from textual.geometry import Offset
    from textual.selection import Selection

    fake.default(lambda request: Reply(Text("thinking " * 20), Delay(30), Text("too late")))
    config = make_team(fake, ("alpha", "chatcompletion", "slow1"), ("beta", "chatcompletion", "slow2"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "thinking" in screen_text(app))
        view = app.live.panels["alpha"].view
        app.live.selections = {view: Selection(Offset(0, 0), Offset(8, 1))}
        await pilot.pause()
        assert app.live.get_selected_text()
        await pilot.press("ctrl+c")
        await wait_for_turn(app, pilot)
        assert app.live.view.turn_status == "cancelled" and app.clipboard == ""
        assert "Ctrl+C again to quit" in " ".join(screen_text(app).split())


async def test_question_mark_lists_every_binding_with_its_id(fake, tmp_path):
    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        text = screen_text(app)
        for binding_id in ("focus_agent_1", "focus_agent_9", "next_agent", "zoom", "final_answer", "votes",
                           "reasoning", "search", "next_match", "previous_match", "scroll_top", "interrupt"):
            assert binding_id in text
        assert "remap them by id in the settings file's [keymap] section" in text
        await pilot.press("escape")
        assert "focus_agent_1" not in screen_text(app)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # the key that opened it closes it (it used to open a second help on top)
        assert app.screen is app.live


async def test_selected_panel_text_is_copied_by_c_with_wrapped_rows_joined(fake, tmp_path):
    from textual.geometry import Offset
    from textual.selection import Selection

    from tests.app import scenarios

    app = make_app(team(fake), tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 3)
        await pilot.press("escape")  # out of the question bar (no question was given)
        app.live.apply_batch(scenarios.mid_stream().events[2:])
        view = app.live.panels["beta"].view

        def rows() -> list[tuple[int, int, int]]:
            return [view.transcript.row(y) for y in range(view.transcript.row_count)]

        def first_row_of_answer() -> int | None:
            texts = view.transcript.texts
            return next((y for y, (line, _, _) in enumerate(rows()) if texts[line].startswith("Adding")), None)

        await until(pilot, lambda: first_row_of_answer() is not None)  # laid out once the panel has its size
        first = first_row_of_answer()
        app.live.selections = {view: Selection(Offset(7, first), Offset(9, first + 1))}
        await pilot.pause()
        await pilot.press("c")
        line, start, end = rows()[first + 1]
        expected = view.transcript.texts[line][7:start + 9]
        assert app.clipboard == expected and "\n" not in expected and len(expected) > 20
        assert app.live.get_selected_text() is None  # copied once: the selection is gone
