"""The app exits with the README's codes: 0 answered, 3 every agent failed, 4 timeout with no answer, 130 Ctrl+C,
SIGTERM or SIGHUP (with a complete log); headless too, for signals in quick succession."""

from __future__ import annotations

import json
import os
import signal

import pytest

from tests.app.test_app_session import SIZE, make_app, until, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.fake_provider import Delay, HttpError, Reply, Text
from tests.test_cli_headless import _wait_for_events as wait_for_events
from tests.test_cli_headless import cli, events_of, write_config


def two(fake, **kwargs):
    return make_team(fake, ("alpha", "chatcompletion", "alpha"), ("beta", "chatcompletion", "beta"), **kwargs)


async def quit_after_turn(app) -> int | None:
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_turn(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause(0.3)
    return app.return_code


@pytest.mark.parametrize("case, code", [("answered", 0), ("all failed", 3), ("timeout", 4)])
async def test_quitting_after_a_turn_exits_with_its_code(case, code, fake, tmp_path):
    if case == "answered":
        fake.responder("alpha", agent("4", final="4"))
        fake.responder("beta", agent("Four"))
    elif case == "all failed":
        fake.default(lambda request: Reply(HttpError(404, "The model `x` does not exist")))
    else:
        fake.default(lambda request: Reply(Delay(30), Text("never")))
    app = make_app(
        two(fake, timeout=0.5 if case == "timeout" else 60), "Q?", tmp_path=tmp_path, log_root=tmp_path / "logs"
    )
    assert await quit_after_turn(app) == code


async def test_ctrl_c_twice_while_agents_work_exits_130(fake, tmp_path):
    fake.default(lambda request: Reply(Text("streaming "), Delay(30), Text("never")))
    app = make_app(two(fake), "Q?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.running and app.live.view.agents and any(
            a.transcript.texts for a in app.live.view.agents.values()))
        await pilot.press("ctrl+c")
        await pilot.pause(0.2)
        await pilot.press("ctrl+c")
        await pilot.pause(0.5)
    assert app.return_code == 130


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
async def test_sigterm_and_sighup_end_the_app_like_ctrl_c_with_a_complete_log(sig, fake, tmp_path):
    fake.default(lambda request: Reply(Text("streaming "), Delay(30), Text("never")))
    app = make_app(two(fake), "Q?", tmp_path=tmp_path, log_root=tmp_path / "logs")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.running and any(a.transcript.texts for a in app.live.view.agents.values()))
        os.kill(os.getpid(), sig)
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 130
    (folder,) = (tmp_path / "logs").iterdir()
    events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    assert [e["status"] for e in events if e["type"] == "turn_ended"] == ["cancelled"]
    assert events[-1]["type"] == "session_ended"


@pytest.mark.parametrize("signals", [[signal.SIGINT, signal.SIGINT], [signal.SIGINT, signal.SIGINT, signal.SIGTERM],
                                     [signal.SIGHUP]])
def test_headless_signals_in_quick_succession_exit_130_with_no_traceback_and_a_complete_log(signals, tmp_path, fake):
    fake.default(lambda request: Reply(Text("streaming "), Delay(30), Text("never")))
    process = cli(tmp_path, "--config", str(write_config(tmp_path, fake, ["alpha", "beta"])), "Q?", wait=False)
    folder = wait_for_events(tmp_path / "logs", "text")
    for sig in signals:
        process.send_signal(sig)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert [e["type"] for e in events_of(folder)[-2:]] == ["turn_ended", "session_ended"]
