"""The live view of ``massgen-tui eval``: progress and running accuracy per mode, questions in flight, the report."""

from __future__ import annotations

import asyncio

from massgen_tui.app.eval_view import EvalApp
from massgen_tui.eval.modes import Mode
from massgen_tui.eval.progress import ModeProgress
from massgen_tui.eval.questions import Question
from massgen_tui.eval.runner import Item
from tests.app.screen_text import screen_text

SIZE = (100, 24)
Q1, Q2 = Question("q1", "What is 67 + 81?", "148", "numeric"), Question("q2", "What is 12 * 12?", "144", "numeric")
SINGLE, PROTOCOL = Mode("single:a", "single", agent_id="a"), Mode("protocol", "protocol")
REPORT = "mode      n  accuracy\nsingle:a  2     50.0%\nprotocol  2    100.0%"


def record(question: Question, mode: Mode, correct: bool) -> dict:
    return {"id": question.id, "mode": mode.name, "correct": correct}


class Scripted:
    """A job that starts and finishes items as told, then waits for ``release`` (or is cancelled)."""

    def __init__(self, finish: bool) -> None:
        self.finish = finish
        self.release = asyncio.Event()
        self.cancelled = False

    async def __call__(self, on_start, on_result) -> None:
        for item in (Item(Q1, SINGLE), Item(Q1, PROTOCOL), Item(Q2, SINGLE)):
            on_start(item)
        on_result(record(Q1, SINGLE, True))
        if self.finish:
            on_result(record(Q2, SINGLE, False))
            on_result(record(Q1, PROTOCOL, True))
            on_result(record(Q2, PROTOCOL, True))
            return
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


def app(job: Scripted) -> EvalApp:
    done = [record(Q2, PROTOCOL, True)] if not job.finish else []  # a resumed run counts earlier results
    progress = ModeProgress({SINGLE.name: 2, PROTOCOL.name: 2}, done)
    return EvalApp("eval: arithmetic", progress, job, lambda width: REPORT)


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


def test_mid_run_shows_progress_per_mode_and_the_questions_in_flight(snap_compare):
    assert snap_compare(app(Scripted(finish=False)), terminal_size=SIZE, run_before=settle)


def test_a_finished_run_shows_the_report(snap_compare):
    assert snap_compare(app(Scripted(finish=True)), terminal_size=SIZE, run_before=settle)


async def test_q_stops_the_run_and_leaves_the_app():
    job = Scripted(finish=False)
    view = app(job)
    async with view.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(view)
        assert "single:a  [##########----------]  1/2  accuracy 100.0%" in text
        assert "protocol  [##########----------]  1/2  accuracy 100.0%" in text
        assert "protocol  q1: What is 67 + 81?" in text and "single:a  q2: What is 12 * 12?" in text
        await pilot.press("q")
        await pilot.pause()
    assert job.cancelled and not view.finished
