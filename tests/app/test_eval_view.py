"""The live view of ``massgen-tui eval``: progress and running accuracy per mode, questions in flight, the report,
and the chart of accuracy vs cost per mode."""

from __future__ import annotations

import asyncio

from massgen_tui.app.eval_chart import draw
from massgen_tui.app.eval_view import EvalApp
from massgen_tui.eval.modes import Mode
from massgen_tui.eval.progress import ModeProgress
from massgen_tui.eval.questions import Question
from massgen_tui.eval.report import ModeSummary
from massgen_tui.eval.runner import Item
from tests.app.screen_text import screen_text

SIZE = (100, 24)
WIDE, SMALL = (200, 50), (80, 24)
Q1, Q2 = Question("q1", "What is 67 + 81?", "148", "numeric"), Question("q2", "What is 12 * 12?", "144", "numeric")
SINGLE, PROTOCOL = Mode("single:a", "single", agent_id="a"), Mode("protocol", "protocol")
REPORT = "mode      n  accuracy\nsingle:a  2     50.0%\nprotocol  2    100.0%"


def record(question: Question, mode: Mode, correct: bool) -> dict:
    """A result: single runs spend 100 tokens, protocol runs 900."""
    return {"id": question.id, "mode": mode.name, "correct": correct,
            "tokens": 100 if mode.kind == "single" else 900, "cost": None, "latency": 1.0}


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


def test_the_chart_beside_the_questions_on_a_wide_terminal(snap_compare):
    assert snap_compare(app(Scripted(finish=True)), terminal_size=WIDE, run_before=settle)


def test_the_chart_under_the_questions_at_80x24(snap_compare):
    assert snap_compare(app(Scripted(finish=False)), terminal_size=SMALL, run_before=settle)


def _chart_rows(view: EvalApp) -> list[str]:
    """The chart's plot rows (between its title and its x axis), as shown."""
    region = view.query_one("#eval-chart").content_region
    lines = screen_text(view).splitlines()[region.y: region.bottom]
    shown = [line[region.x: region.right] for line in lines]
    return shown[1: next(i for i, line in enumerate(shown) if "└" in line)]


async def test_the_chart_places_each_mode_as_results_arrive():
    job = Scripted(finish=False)
    view = app(job)
    async with view.run_test(size=WIDE) as pilot:
        await settle(pilot)
        text = screen_text(view)
        assert "Accuracy vs tokens per question" in text
        assert "A single:a  [##########" in text and "B protocol  [##########" in text
        rows = _chart_rows(view)
        # Both modes are at 100% so far (the top row): single at 100 tokens, left of protocol at 900.
        assert "A" in rows[0] and "B" in rows[0] and rows[0].index("A") < rows[0].index("B")
        view._finished(record(Q2, SINGLE, False))  # single:a falls to 50%
        await settle(pilot)
        rows = _chart_rows(view)
        assert "A" not in rows[0] and "B" in rows[0]
        assert "A" in rows[len(rows) // 2] and rows[len(rows) // 2].startswith(" 50% │")
        job.release.set()


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


def test_modes_on_the_same_cell_show_as_one_mark_the_title_explains():
    same = [ModeSummary("protocol", 4, 3, 4000, None, 1.0), ModeSummary("protocol+keep-own", 4, 3, 4000, None, 1.0),
            ModeSummary("single:a", 4, 1, 400, None, 1.0)]
    text = draw(same, {"protocol": 0, "protocol+keep-own": 1, "single:a": 2}, 60, 12).plain
    assert "(+: several modes)" in text.splitlines()[0]
    plot = "\n".join(text.splitlines()[1:-2])
    assert "+" in plot and "A" not in plot and "B" not in plot and "C" in plot
    assert text.splitlines()[-1].rstrip().endswith("1100")  # x axis: up to 1.1 x the largest tokens/q
