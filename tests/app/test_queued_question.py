"""A question sent while a turn runs waits on screen, goes out when the turn ends, and can be taken back."""

from __future__ import annotations

import threading

from textual.widgets import Input

from massgen_tui.app.widgets.queued_question import queued_line
from massgen_tui.config.model import SessionConfig
from tests.app.screen_text import screen_text
from tests.app.test_app_session import SIZE, make_app, submit, until, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.fake_provider import Delay, Reply, Text


def slow_team(fake) -> tuple[SessionConfig, threading.Event]:
    """Two agents; alpha answers only once the returned gate is set, so a turn runs as long as the test types."""
    gate = threading.Event()
    fake.responder("m1", agent("Four.", final="The final answer is **4**.", hold=gate))
    fake.responder("m2", agent("4", vote_for="agent1"))
    return make_team(fake, ("alpha", "chatcompletion", "m1"), ("beta", "claude", "m2")), gate


def queued_row(app) -> str:
    """The screen row that names the queued question ("" if none shows)."""
    return next((line for line in screen_text(app).splitlines() if "⏸ queued:" in line), "")


async def test_a_question_sent_mid_turn_is_shown_as_queued_and_runs_as_the_next_turn(fake, tmp_path):
    config, gate = slow_team(fake)
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        # Panels show from session_started, which comes before the backends start: wait for the turn itself.
        await until(pilot, lambda: len(app.live.panels) == 2 and app.live.view.turn == 1)
        assert app.running
        await submit(app, pilot, "and 3+3?")
        assert app.running and app.live.view.turn == 1
        assert "⏸ queued: and 3+3?  · sent when this turn ends · Ctrl+U cancels" in queued_row(app)
        assert app.focused is app.live.panels["alpha"].view  # Enter gave the keys back to the panels
        gate.set()
        # The row clears on the frame after the next turn starts: wait for both.
        await until(pilot, lambda: app.live.view.turn == 2 and queued_row(app) == "")
        assert app.live.view.question == "and 3+3?" and queued_row(app) == ""
        await wait_for_turn(app, pilot)
        assert app.live.view.final_done and "━━ turn 2: and 3+3?" in "\n".join(
            app.live.panels["alpha"].view.transcript.texts)


async def test_ctrl_u_cancels_the_queued_question_so_no_second_turn_runs(fake, tmp_path):
    config, gate = slow_team(fake)
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 2 and app.live.view.turn == 1)
        await submit(app, pilot, "and 3+3?")
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert queued_row(app) == "" and "not sending 'and 3+3?'" in screen_text(app)
        gate.set()
        await wait_for_turn(app, pilot)
        await pilot.pause(0.3)
        assert app.live.view.turn == 1 and not app.running


async def test_in_the_question_bar_ctrl_u_clears_the_typed_text_first_then_the_queued_question(fake, tmp_path):
    config, gate = slow_team(fake)
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 2 and app.live.view.turn == 1)
        await submit(app, pilot, "and 3+3?")
        await pilot.press("i", *"draft", "ctrl+u")
        bar = app.live.query_one("#ask-bar", Input)
        assert bar.value == "" and "and 3+3?" in queued_row(app)
        await pilot.press("ctrl+u")
        assert queued_row(app) == "" and app.focused is bar
        gate.set()


async def test_a_second_question_replaces_the_queued_one(fake, tmp_path):
    config, gate = slow_team(fake)
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: len(app.live.panels) == 2 and app.live.view.turn == 1)
        await submit(app, pilot, "and 3+3?")
        await submit(app, pilot, "and 4+4?")
        await pilot.pause()
        assert "queued: and 4+4?" in queued_row(app) and "replaces the queued 'and 3+3?'" in screen_text(app)
        gate.set()
        await until(pilot, lambda: app.live.view.turn == 2)
        assert app.live.view.question == "and 4+4?"


async def test_ctrl_c_cancels_the_turn_and_puts_the_queued_question_back_in_the_bar_unsent(fake, tmp_path):
    fake.default(lambda request: Reply(Text("thinking "), Delay(30), Text("too late")))
    config = make_team(fake, ("alpha", "chatcompletion", "slow1"), ("beta", "chatcompletion", "slow2"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "thinking" in screen_text(app))
        await submit(app, pilot, "and 3+3?")
        await pilot.press("ctrl+c")
        await wait_for_turn(app, pilot)
        assert app.live.view.turn_status == "cancelled" and app.live.view.turn == 1
        assert app.live.query_one("#ask-bar", Input).value == "and 3+3?" and queued_row(app) == ""
        assert "back in the question bar" in " ".join(screen_text(app).split())


def test_a_long_queued_question_is_cut_so_the_cancel_key_stays_in_view():
    line = queued_line("why " * 40, "ctrl+u", 50).plain  # no room to say when: the question gets it
    assert line == " ⏸ queued: why why why why why…  · ctrl+u cancels"
    assert (
        queued_line("and 3+3?", "ctrl+u", 80).plain
        == " ⏸ queued: and 3+3?  · sent when this turn ends · ctrl+u cancels"
    )


async def test_ctrl_c_keeps_a_draft_in_the_question_bar_and_names_the_queued_question_it_did_not_send(fake, tmp_path):
    fake.default(lambda request: Reply(Text("thinking "), Delay(30), Text("too late")))
    config = make_team(fake, ("alpha", "chatcompletion", "slow1"))
    app = make_app(config, "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(pilot, lambda: "thinking" in screen_text(app))
        await submit(app, pilot, "and 3+3?")
        await pilot.press("i", *"draft", "ctrl+c")
        await wait_for_turn(app, pilot)
        assert app.live.view.turn_status == "cancelled"
        assert app.live.query_one("#ask-bar", Input).value == "draft" and app.focused.id == "ask-bar"
        assert "not sent (the question bar holds a draft): and 3+3?" in " ".join(screen_text(app).split())
