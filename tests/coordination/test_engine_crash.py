"""A bug in the engine ends the turn as failed with an event that is logged and replayed; the session goes on."""

from __future__ import annotations

import io

from massgen_tui.coordination.coordinator import Coordinator
from massgen_tui.events import types as ev
from massgen_tui.headless.printer import ProgressPrinter
from massgen_tui.view.session_view import SessionView
from tests.conftest import make_team
from tests.coordination.helpers import agent, run_session


async def test_an_engine_crash_fails_the_turn_with_an_event_and_the_next_turn_runs(fake, monkeypatch):
    fake.responder("fake-gpt", agent("4", final="It is 4."))
    real_run_turn = Coordinator.run_turn
    calls = 0

    async def crash_once(self, question, history):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise KeyError("a bug in the round loop")
        return await real_run_turn(self, question, history)

    monkeypatch.setattr(Coordinator, "run_turn", crash_once)
    run = await run_session(make_team(fake, ("alpha", "chatcompletion", "fake-gpt")), "first?", "second?")

    crash = run.of(ev.EngineCrashed)
    assert len(crash) == 1 and crash[0].error == "KeyError: 'a bug in the round loop'"
    assert "crash_once" in crash[0].detail  # the traceback's end, for a bug report
    first, second = run.of(ev.TurnEnded)
    assert first.status == ev.TURN_FAILED and "the engine crashed" in first.error
    assert second.status == ev.TURN_COMPLETED and second.final_answer == "It is 4."
    # The event survives the log's round trip, and the view and the printer both show it.
    assert ev.event_from_dict(crash[0].to_dict()) == crash[0]
    view = SessionView()
    for event in run.events[: run.events.index(first) + 1]:
        view.apply(event)
    assert view.turn_status == ev.TURN_FAILED
    assert any("the engine crashed: KeyError" in entry.text for entry in view.timeline)
    out, err = io.StringIO(), io.StringIO()
    printer = ProgressPrinter(err, out)
    for event in run.events:
        printer(event)
    assert "error: the engine crashed: KeyError: 'a bug in the round loop'" in err.getvalue()
