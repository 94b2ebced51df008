"""The session browser: newest first, filter as you type, Enter replays, Delete asks first; the CLI."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from textual.widgets import DataTable

from massgen_tui import commands
from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.app.replay_screen import ReplayScreen
from massgen_tui.app.session_browser import ConfirmDelete, SessionBrowser
from massgen_tui.events import types as ev
from massgen_tui.logs.writer import SessionLogWriter
from massgen_tui.replay.catalog import list_sessions
from tests.app import scenarios
from tests.app.screen_text import screen_text
from tests.replay.logs import SAMPLE, finished_session, write_log

SIZE = (160, 30)


def session(question: str, start: float, *, ended: bool = True) -> list[ev.Event]:
    """A short session asked ``question``, starting at ``start``."""
    t = scenarios.Timeline(start)
    t.add(ev.SessionStarted(session_id=f"s{int(start)}", config={},
                            agents=[{"id": "alpha", "label": "agent1", "model": "gpt-4o-mini"},
                                    {"id": "beta", "label": "agent2", "model": "claude-haiku"}]))
    t.add(ev.TurnStarted(turn=1, question=question, labels={"alpha": "agent1", "beta": "agent2"}))
    t.add(ev.TurnEnded(turn=1, status="completed", winner_id="beta", final_answer="ok"))
    if ended:
        t.add(ev.SessionEnded(status="completed", winner_id="beta",
                              totals={"input_tokens": 1000, "output_tokens": 234, "cost": 0.0123}))
    return t.events


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "sessions"
    write_log(folder / "old", session("What is the capital of France?", 1_700_000_000.0))
    write_log(folder / "new", session("How do tides work?", 1_700_100_000.0))
    write_log(folder / "killed", session("Why is the sky blue?", 1_700_050_000.0, ended=False))
    (folder / "killed" / "result.json").unlink()
    (folder / "not-a-session").mkdir()
    return folder


def browser_app(root, tmp_path) -> ReplayApp:
    return ReplayApp(log_root=root, settings_path=tmp_path / "settings.yaml", theme_dirs=())


def rows(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def test_sessions_are_listed_newest_first_with_their_summary(root):
    summaries = list_sessions(root)
    assert [s.path.name for s in summaries] == ["new", "killed", "old"]
    new = summaries[0]
    assert (new.question, new.agents, new.winner, new.tokens, new.cost) == (
        "How do tides work?", "alpha (gpt-4o-mini), beta (claude-haiku)", "beta", 1234, 0.0123)
    assert new.duration == pytest.approx(1.5)
    killed = summaries[1]  # no result.json, no session_ended: what its events tell
    assert (killed.question, killed.winner, killed.tokens, killed.duration, killed.status) == (
        "Why is the sky blue?", "beta", None, 1.0, "interrupted")


async def test_the_browser_shows_columns_and_typing_filters(root, tmp_path):
    app = browser_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SessionBrowser)
        first = rows(app)[0]
        assert first[1:] == ["How do tides work?", "alpha (gpt-4o-mini), beta (claude-haiku)", "beta", "2s",
                             "1,234", "$0.0123"]
        await pilot.press(*"sky")
        assert [r[1] for r in rows(app)] == ["Why is the sky blue?"]
        await pilot.press(*" nothing")
        assert rows(app) == []


async def test_enter_opens_the_replay_and_q_comes_back(root, tmp_path):
    app = browser_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen) and app.screen.session.path == root / "killed"
        await pilot.press("q")
        assert isinstance(app.screen, SessionBrowser)


async def test_escape_backs_out_of_zoom_first_then_returns_to_the_browser(root, tmp_path):
    app = browser_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        replay = app.screen
        await pilot.press("1", "z")
        assert replay.maximized is not None
        await pilot.press("escape")
        assert app.screen is replay and replay.maximized is None
        await pilot.press("escape")
        assert isinstance(app.screen, SessionBrowser)


async def test_delete_asks_and_removes_only_when_confirmed(root, tmp_path):
    app = browser_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        assert (root / "new").is_dir() and len(rows(app)) == 3
        await pilot.press("delete")
        await pilot.press("y")
        await pilot.pause()
        assert not (root / "new").exists() and [r[1] for r in rows(app)][0] == "Why is the sky blue?"


def many_agents(count: int) -> list[dict[str, str]]:
    return [{"id": f"agent-{n:02d}", "label": f"agent{n}", "model": f"provider-model-{n:02d}"}
            for n in range(1, count + 1)]


@pytest.mark.parametrize(("size", "agents_shown"), [((200, 30), "agent-01 (provider-model-01), agent-02"),
                                                    ((80, 24), "agent-01")])
async def test_winner_duration_tokens_and_cost_stay_on_screen_with_twelve_agents(tmp_path, size, agents_shown):
    events = session("Which of twelve answers is best?", 1_700_200_000.0)
    events[0].agents = many_agents(12)
    write_log(tmp_path / "sessions" / "twelve", events)
    app = browser_app(tmp_path / "sessions", tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "question" in line)
        row = next(line for line in lines if "Which" in line)
        assert header.split()[-4:] == ["winner", "duration", "tokens", "cost"]
        assert row.split()[-4:] == ["beta", "2s", "1,234", "$0.0123"]
        assert "Which of twelve answe" in row
        assert agents_shown in row and "agent-12" not in row and "…" in row  # the agents are cut, not the figures


async def test_a_narrow_terminal_leaves_the_agents_out_rather_than_the_question(tmp_path):
    write_log(tmp_path / "sessions" / "killed", unfinished("Why do cats purr when they are happy?", 1_700_300_000.0))
    app = browser_app(tmp_path / "sessions", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert next(line for line in lines if "question" in line).split() == [
            "date", "question", "winner", "duration", "tokens", "cost"]
        assert next(line for line in lines if "cats" in line).split()[2:] == [
            "Why", "do", "cats", "purr", "when…", "beta", "(interrupted)", "42s", "1,250", "$0.0020"]


def unfinished(question: str, start: float) -> list[ev.Event]:
    """A session killed after its first turn: winner and usage in the events, no session_ended."""
    t = scenarios.Timeline(start)
    t.add(*session(question, start, ended=False)[:2])
    t.add(ev.Usage(agent_id="alpha", input_tokens=700, output_tokens=30, cost=0.002),
          ev.Usage(agent_id="beta", input_tokens=500, output_tokens=20, cost=None))
    t.add(ev.ConsensusReached(winner_id="beta", tally={"beta": 2}, reason="votes"))
    t.add(ev.TurnEnded(turn=1, status="completed", winner_id="beta", final_answer="ok"), step=40)
    return t.events


async def test_a_session_that_did_not_end_shows_winner_duration_and_tokens_from_its_events(tmp_path):
    root = tmp_path / "sessions"
    write_log(root / "killed", unfinished("Why do cats purr?", 1_700_300_000.0))
    assert json.loads((root / "killed" / "result.json").read_text())["status"] == "completed"  # no totals, no end
    running = SessionLogWriter(root / "running")  # still open: its writer holds the file
    for event in unfinished("Is it still going?", 1_700_400_000.0):
        running(event)
    app = browser_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [r[1:] for r in rows(app)] == [
            ["Is it still going?", "alpha (gpt-4o-mini), beta (claude-haiku)", "beta (running)", "42s", "1,250",
             "$0.0020"],
            ["Why do cats purr?", "alpha (gpt-4o-mini), beta (claude-haiku)", "beta (interrupted)", "42s", "1,250",
             "$0.0020"]]
    running.close()
    assert [s.status for s in list_sessions(root)] == ["interrupted", "interrupted"]


def test_massgen_log_folders_are_listed_too(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / SAMPLE.name)
    (summary,) = list_sessions(tmp_path)
    assert summary.massgen and summary.question == "What is 2+2?" and summary.winner == "alpha"


def test_the_replay_command_refuses_what_is_not_a_session(tmp_path, capsys):
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps({"hello": "world"}))
    assert commands.main(["replay", str(notes)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"massgen-tui replay: error: {notes}: not a session log (no massgen-tui or MassGen events in its first lines)")


def test_the_replay_command_needs_a_terminal_for_a_real_session(tmp_path, capsys):
    folder = write_log(tmp_path / "s", finished_session())
    assert commands.main(["replay", str(folder)]) == 2
    assert "replay needs a terminal" in capsys.readouterr().err


@pytest.fixture
def stable_display(tmp_path, monkeypatch):
    """Paths under a home of the test's own (shown as ~/...) and dates in UTC: the same in every run."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_snapshot_of_the_browser(snap_compare, root, tmp_path, stable_display):
    assert snap_compare(browser_app(root, tmp_path), terminal_size=SIZE)


def test_snapshot_of_the_delete_confirmation(snap_compare, root, tmp_path, stable_display):
    assert snap_compare(browser_app(root, tmp_path), terminal_size=SIZE, press=["down", "delete"])
