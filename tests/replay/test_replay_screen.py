"""The replay screen: every replay key, the live keys it keeps, export, warnings, and snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.replay import index as ix
from massgen_tui.replay.session import open_session
from tests.app import scenarios
from tests.app.screen_text import screen_text
from tests.replay.logs import SAMPLE, finished_session, write_log

SIZE = (160, 40)


def replay_app(path: Path, tmp_path: Path) -> ReplayApp:
    return ReplayApp(open_session(path), settings_path=tmp_path / "settings.yaml", theme_dirs=())


@pytest.fixture
def log(tmp_path) -> Path:
    return write_log(tmp_path / "20261122-030000-abcd", finished_session())


def positions(app: ReplayApp, kind: str) -> list[int]:
    return [m.position for m in app.screen.session.index.markers if m.kind == kind]


def notes(app: ReplayApp) -> list[str]:
    return [n.message for n in app._notifications]


def timeline_text(app: ReplayApp) -> str:
    return screen_text(app).splitlines()[-2]


async def test_it_opens_where_the_question_is_asked_and_end_home_and_i_jump(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.position == 2 and "event 2/51" in timeline_text(app)  # 1 is session_started
        assert "━━ turn 1: What is 2+2?" in screen_text(app)
        await pilot.press("end")
        assert screen.position == 51 and screen.view.final_done
        assert "Final answer by alpha(agent1)" in screen_text(app)
        await pilot.press("home")
        assert screen.position == 1 and screen.view.final_text == "" and not screen.view.answers
        await pilot.press("i")  # in a replay, i jumps to the end (there is nothing to ask)
        assert screen.position == 51 and "100%" in timeline_text(app)


async def test_arrows_step_one_event(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "right")
        assert app.screen.position == 5
        await pilot.press("left")
        assert app.screen.position == 4


async def test_brackets_move_between_answers_and_votes_and_braces_between_rounds(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        steps = sorted(positions(app, ix.ANSWER) + positions(app, ix.VOTE))
        await pilot.press("right_square_bracket")
        assert app.screen.position == steps[0] and "alpha(agent1) v1" in screen_text(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.screen.position == steps[2]
        await pilot.press("left_square_bracket")
        assert app.screen.position == steps[1]
        rounds = positions(app, ix.ROUND)
        await pilot.press("home", "right_curly_bracket")
        assert app.screen.position == rounds[0]
        await pilot.press("right_curly_bracket")
        assert app.screen.position == rounds[1] and "round 2" in screen_text(app)
        await pilot.press("left_curly_bracket")
        assert app.screen.position == rounds[0]


async def test_colon_goes_to_a_percentage_or_a_time_and_explains_a_bad_one(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        times = app.screen.session.index.times
        await pilot.press("colon", *"40%", "enter")
        at_40 = times[0] + 0.4 * (times[-1] - times[0])  # 40% of the time: the final answer streams faster
        assert times[app.screen.position - 1] <= at_40 < times[app.screen.position]
        shown = 100 * (times[app.screen.position - 1] - times[0]) / (times[-1] - times[0])
        assert app.screen.position != round(0.4 * len(times)) and f"  {shown:.0f}%  event" in timeline_text(app)
        await pilot.press("colon", *"0:05", "enter")
        assert times[app.screen.position - 1] - times[0] <= 5 < times[app.screen.position] - times[0]
        await pilot.press("colon", *"soon", "enter")
        await pilot.pause()
        assert "'soon': give a time (1:23, 83s, 2m) or a percentage (40%)" in notes(app)
        assert not app.screen.query_one("#goto-bar").display


async def test_space_plays_and_pauses_and_plus_minus_change_the_speed(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus", "plus", "plus")
        assert "8x" in timeline_text(app)
        await pilot.press("minus")
        assert "4x" in timeline_text(app)
        await pilot.press("space")
        assert "playing" in timeline_text(app)
        await pilot.pause(0.6)
        await pilot.press("space")
        played = app.screen.position
        assert played > 2 and "paused" in timeline_text(app)
        await pilot.pause(0.3)
        assert app.screen.position == played


async def test_the_live_keys_still_work_in_a_replay(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("end", "f")
        assert screen.query_one("ContentSwitcher").current == "agents"
        await pilot.press("2", "z")
        assert screen.maximized is screen.panels["beta"]
        await pilot.press("z", "v")
        assert not screen.query_one("#sidebar").display
        await pilot.press("1", "slash", *"four", "enter")
        assert screen.panels["alpha"].view.transcript.hits
        await pilot.press("question_mark", "end")  # the replay's own keys come after the panel's: scroll down
        assert "replay.play_pause" in screen_text(app)


async def test_keys_typed_into_the_search_bar_are_not_replay_keys(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "space", "i", "q", "right_square_bracket")
        assert app.screen.query_one("#search-bar", Input).value == " iq]"
        assert app.screen.position == 2 and not app.screen.playback.playing


async def test_a_click_on_the_timeline_bar_goes_there(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        bar = app.screen.query_one("#timeline")
        left, width = bar.styles.padding.left, bar.content_size.width  # the bar's cells start after its padding
        await pilot.click(bar, offset=(left + width - 1, 0))
        assert app.screen.position == 51
        await pilot.click(bar, offset=(left + width // 2, 0))
        assert 24 <= app.screen.position <= 28
        await pilot.click(bar, offset=(left, 0))
        assert app.screen.position == 1


async def test_export_the_whole_session_or_up_to_here(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        upto = app.screen.export_markdown(True, folder=tmp_path)
        whole = app.screen.export_markdown(False, folder=tmp_path)
    partial, full = upto.read_text(), whole.read_text()
    assert upto.name == "20261122-030000-abcd-at-23.md" and whole.name == "20261122-030000-abcd.md"
    assert "**Turn 1:** What is 2+2?" in partial and "### alpha(agent1) v1" in partial
    assert "### gamma(agent3)" not in partial and "## Final answer" not in partial
    answers = full.index("## Answers in order")
    assert answers < full.index("### alpha(agent1) v1") < full.index("### gamma(agent3) v1")
    assert "- beta(agent2) → alpha(agent1): simple and right (cleared)" in full
    assert (
        "| all | 2100 | ~187 | ~$0.0004 + cost ? (no list price for claude-haiku, gemini-flash) |" in full
        and "## Final answer (alpha(agent1))" in full
    )


async def test_a_damaged_log_shows_a_warning_with_the_line_numbers(log, tmp_path):
    events_file = log / "events.jsonl"
    text = events_file.read_text()
    events_file.write_text(text[:-40])
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "skipped 1 damaged line(s): 51" in notes(app)
        assert "⚠ 1 line(s) skipped" in timeline_text(app)
        await pilot.press("end")
        assert app.screen.position == 50 and app.screen.view.final_done


async def test_q_closes_a_replay(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


def test_the_timeline_marks_answers_votes_restarts_and_the_final_answer():
    from massgen_tui.app.widgets.timeline import bar_content, marker_cells

    markers = [ix.Marker(1, ix.ROUND, ""), ix.Marker(5, ix.ANSWER, ""), ix.Marker(6, ix.VOTE, ""),
               ix.Marker(8, ix.RESTART, ""), ix.Marker(10, ix.FINAL, "")]
    cells = marker_cells(markers, 10, 10)
    assert bar_content(cells, 10, 6, 10).plain == "┆━━━◆✓─↻─★"
    assert bar_content(cells, 10, 10, 10).plain == "┆━━━◆✓━↻━★"
    assert marker_cells(markers, 10, 3) == {0: ix.ANSWER, 1: ix.RESTART, 2: ix.FINAL}  # the rarer kind wins a cell


# ------------------------------------------------------------------ snapshots


def at(position) -> callable:
    async def run_before(pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        screen.seek(position(screen) if callable(position) else position)
        await pilot.pause()
        await pilot.pause()

    return run_before


def _mid_stream(screen) -> int:
    return positions_of(screen, ix.ANSWER)[0] - 1


def _after_votes(screen) -> int:
    return positions_of(screen, ix.VOTE)[-1]


def positions_of(screen, kind: str) -> list[int]:
    return [m.position for m in screen.session.index.markers if m.kind == kind]


@pytest.mark.parametrize("where", [1, _mid_stream, _after_votes, 10**6], ids=["start", "mid_stream", "after_votes",
                                                                             "end"])
def test_snapshot_of_our_log(snap_compare, tmp_path, where):
    log = write_log(tmp_path / "20261122-030000-abcd", finished_session())
    assert snap_compare(replay_app(log, tmp_path), terminal_size=SIZE, run_before=at(where))


@pytest.mark.parametrize("where", [1, _mid_stream, _after_votes, 10**6], ids=["start", "mid_stream", "after_votes",
                                                                             "end"])
def test_snapshot_of_the_massgen_sample(snap_compare, tmp_path, where):
    assert snap_compare(replay_app(SAMPLE, tmp_path), terminal_size=SIZE, run_before=at(where))


async def test_escape_in_a_replay_opened_directly_never_quits(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("escape", "escape")
        assert app.screen is screen and app.is_running


async def test_the_palette_offers_replay_agent_and_view_commands_that_act(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        commands = {command.title: command for command in app.get_system_commands(screen)}
        assert {"Replay: play or pause", "Replay: jump to the end", "Agent: focus beta(agent2) · claude-haiku",
                "Agent: expand or collapse every tool call", "View: show or hide reasoning"} <= set(commands)
        commands["Replay: jump to the end"].callback()
        commands["Agent: focus beta(agent2) · claude-haiku"].callback()
        await pilot.pause()
        assert screen.position == 51 and app.focused is screen.panels["beta"].view


async def test_a_replay_shows_json_decisions_as_text_and_vote_lines(tmp_path):
    log = write_log(tmp_path / "20261122-050000-json", scenarios.json_decisions().events)
    app = replay_app(log, tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "2 + 2 = 4 — add the units:" in text and "- 2 more u" in text
        assert "☑ voted for gamma(agent3)" in text and 'Counting on from 2: "3, 4" — done.' in text
        assert '"decision"' not in text
