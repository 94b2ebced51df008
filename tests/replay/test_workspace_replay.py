"""Replay's workspace view: at a position, only the snapshots of answers given up to it, following the position."""

from __future__ import annotations

import pytest
from textual.widgets import Tree

from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.app.workspace_screen import NONE_YET, WorkspaceScreen
from massgen_tui.replay import index as ix
from massgen_tui.replay.session import open_session
from tests.app.screen_text import screen_text
from tests.replay.workspace_log import write_workspace_log

SIZE = (200, 50)


@pytest.fixture
def app(tmp_path) -> ReplayApp:
    log = write_workspace_log(tmp_path / "20261202-010000-wksp")
    return ReplayApp(open_session(log), settings_path=tmp_path / "settings.yaml", theme_dirs=())


def tree_lines(app: ReplayApp) -> list[str]:
    tree = app.screen.query_one(Tree)
    return [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)]


async def test_only_versions_before_the_position_show_and_they_follow_it(app):
    async with app.run_test(size=SIZE) as pilot:
        replay = app.screen
        answers = [m.position for m in replay.session.index.markers if m.kind == ix.ANSWER]
        replay.seek(answers[1] - 1)  # alpha has answered once; beta is about to
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert tree_lines(app) == ["alpha(agent1)", "answer_1"]
        replay.seek(answers[2])  # moving on (under the view, as playback does): beta's and alpha's second arrive
        await pilot.pause(0.4)
        assert tree_lines(app) == ["alpha(agent1)", "answer_1", "answer_2", "beta(agent2)", "answer_1"]
        replay.seek(replay.total)  # the end: the final workspace too
        await pilot.pause(0.4)
        assert tree_lines(app)[:4] == ["alpha(agent1)", "answer_1", "answer_2", "final"]
        replay.seek(answers[0])  # back: later versions go
        await pilot.pause(0.4)
        assert tree_lines(app) == ["alpha(agent1)", "answer_1"]


async def test_before_any_answer_the_view_says_none_yet_and_a_shown_file_goes_with_its_version(app):
    async with app.run_test(size=SIZE) as pilot:
        replay = app.screen
        answers = [m.position for m in replay.session.index.markers if m.kind == ix.ANSWER]
        replay.seek(answers[0] - 1)
        await pilot.press("w")
        await pilot.pause()
        assert NONE_YET in screen_text(app)
        replay.seek(answers[0])
        await pilot.pause(0.4)
        await pilot.press("down", "down", "enter", "down")
        assert app.screen.shown == ((1, "alpha", 1), "app.py")
        replay.seek(answers[0] - 1)
        await pilot.pause(0.4)
        assert app.screen.shown is None and NONE_YET in screen_text(app)


async def test_brackets_in_the_view_move_the_replay_to_the_next_answer_and_back(app):
    async with app.run_test(size=SIZE) as pilot:
        replay = app.screen
        answers = [m.position for m in replay.session.index.markers if m.kind == ix.ANSWER]
        replay.seek(answers[0])
        await pilot.press("w")
        await pilot.pause()
        assert tree_lines(app) == ["alpha(agent1)", "answer_1"]
        assert f"replay event {answers[0]}/{replay.total}" in screen_text(app)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert replay.position == answers[1] and isinstance(app.screen, WorkspaceScreen)
        assert tree_lines(app) == ["alpha(agent1)", "answer_1", "beta(agent2)", "answer_1"]
        assert f"replay event {answers[1]}/{replay.total}" in screen_text(app)
        await pilot.press("left_square_bracket")
        assert replay.position == answers[0] and tree_lines(app) == ["alpha(agent1)", "answer_1"]
