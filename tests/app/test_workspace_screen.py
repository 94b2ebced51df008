"""The workspace view: its keys, the viewer, diffs, tool calls that open their file, the empty states."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import TextArea, Tree

from massgen_tui.app.help_screen import HelpScreen, active_sections, elsewhere_sections
from massgen_tui.app.palette import screen_commands
from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.app.workspace_screen import (
    NO_LOG,
    NO_WORKSPACE,
    WorkspaceScreen,
    language_for,
)
from massgen_tui.replay import index as ix
from massgen_tui.replay.session import open_session
from massgen_tui.view.session_view import SessionView
from tests.app.scenarios import ScreenApp
from tests.app.screen_text import screen_text
from tests.replay.workspace_log import (
    APP_FINAL,
    APP_V2,
    workspace_events,
    write_snapshots,
    write_workspace_log,
)

BIG, SMALL = (200, 50), (80, 24)


@pytest.fixture
def log(tmp_path) -> Path:
    return write_workspace_log(tmp_path / "20261202-010000-wksp")


def replay_app(path: Path, tmp_path: Path) -> ReplayApp:
    return ReplayApp(open_session(path), settings_path=tmp_path / "settings.yaml", theme_dirs=())


def answer_positions(app: ReplayApp) -> list[int]:
    return [m.position for m in app.screen.session.index.markers if m.kind == ix.ANSWER]


def tree_lines(app) -> list[str]:
    tree = app.screen.query_one(Tree)
    return [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)]


def viewer(app) -> TextArea:
    return app.screen.query_one("#ws-file", TextArea)


def status(app) -> str:
    return str(app.screen.query_one("#ws-status").render())


async def open_alpha_answer_2_app(pilot) -> None:
    """From the end of the replay: w, then down to alpha › answer_2, expand it, highlight app.py."""
    await pilot.press("end", "w")
    await pilot.pause()
    await pilot.press("down", "down", "down", "enter", "down")
    await pilot.pause()


async def diff_beta_against_alpha(pilot) -> None:
    """Mark alpha's answer_2 app.py, then compare beta's answer_1 app.py with it."""
    await open_alpha_answer_2_app(pilot)
    await pilot.press("d")
    tree = pilot.app.screen.query_one(Tree)
    beta = next(line for line in range(tree.last_line + 1)
                if str(tree.get_node_at_line(line).label) == "beta(agent2)")
    tree.cursor_line = beta + 1
    await pilot.press("enter", "down", "d")
    await pilot.pause()


# ------------------------------------------------------------------ keys and the viewer


async def test_w_opens_agents_and_their_versions_and_esc_closes(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("end", "w")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert tree_lines(app) == ["alpha(agent1)", "answer_1", "answer_2", "final", "beta(agent2)", "answer_1"]
        assert "4 snapshots" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, WorkspaceScreen)
        await pilot.press("w", "q")
        assert not isinstance(app.screen, WorkspaceScreen)


async def test_a_highlighted_file_is_shown_read_only_with_its_language(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await open_alpha_answer_2_app(pilot)
        area = viewer(app)
        assert area.text == APP_V2 and area.language == "python" and area.read_only
        assert "alpha(agent1) answer_2 (turn 1) / app.py" in status(app)
        await pilot.press("down")  # docs/notes.md
        assert area.language == "markdown" and area.text.startswith("# Notes")


async def test_a_binary_file_shows_its_size_not_its_bytes(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("end", "w")
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        tree.cursor_line = tree_lines(app).index("beta(agent2)") + 1
        await pilot.press("enter", "down", "down", "down")
        assert viewer(app).text == "(binary file, 11 bytes)" and viewer(app).language is None


def test_languages_fall_back_to_plain_text_when_tree_sitter_lacks_one():
    available = {"python", "rust"}
    assert language_for("src/main.rs", available) == "rust"
    assert language_for("a.ts", available) is None and language_for("notes.md", available) is None
    assert language_for("Makefile", available) is None


async def test_d_marks_a_base_then_d_on_another_agent_s_file_shows_the_diff(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await diff_beta_against_alpha(pilot)
        text = screen_text(app)
        assert "--- alpha(agent1) answer_2 (turn 1)/app.py" in text
        assert "+++ beta(agent2) answer_1 (turn 1)/app.py" in text
        assert "-    return a + b" in text and "+    return sum((a, b))" in text
        assert status(app).startswith("diff +2 -3")
        await pilot.press("escape")  # back to the file
        assert app.screen.query_one("#ws-right").current == "ws-file"
        await pilot.press("escape")  # forget the base
        assert app.screen.base is None and isinstance(app.screen, WorkspaceScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, WorkspaceScreen)


async def test_p_diffs_with_the_same_agent_s_previous_version(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await open_alpha_answer_2_app(pilot)
        await pilot.press("p")
        text = screen_text(app)
        assert "--- alpha(agent1) answer_1 (turn 1)/app.py" in text and "+def add(a: int, b: int) -> int:" in text
        tree = app.screen.query_one(Tree)
        tree.cursor_line = 1  # alpha's answer_1: nothing before it
        await pilot.press("enter", "down", "p")
        assert "first version" in status(app)


async def test_d_before_any_file_says_what_to_do(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("end", "w", "d")
        assert "highlight a file first" in status(app)


# ------------------------------------------------------------- tool calls open their file


async def test_o_on_a_file_tool_call_opens_the_file_at_the_version_that_followed(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        app.screen.seek(answer_positions(app)[2])  # alpha's answer 2 is in; its last edit wrote docs/notes.md
        await pilot.press("1", "o")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.shown == ((1, "alpha", 2), "docs/notes.md")
        assert viewer(app).text.startswith("# Notes")
        await pilot.press("escape", "end", "1", "o")  # the edit made while presenting: the final workspace
        await pilot.pause()
        assert app.screen.shown == ((1, "alpha", None), "app.py") and viewer(app).text == APP_FINAL


async def test_o_before_the_answer_that_saves_the_file_says_so(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        app.screen.seek(answer_positions(app)[0] - 1)  # alpha wrote app.py, not yet answered
        await pilot.press("1", "o")
        assert not isinstance(app.screen, WorkspaceScreen)
        assert any("no snapshot yet" in n.message for n in app._notifications)
        await pilot.press("2", "o")  # beta has called no file tool yet
        assert any("no tool call in view wrote a file" in n.message for n in app._notifications)


# ---------------------------------------------------------------- live, help, palette


async def test_the_live_screen_reads_the_log_folder_its_session_announced(tmp_path):
    write_snapshots(tmp_path)
    app = ScreenApp(workspace_events(log_dir=str(tmp_path)))
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert tree_lines(app) == ["alpha(agent1)", "answer_1", "answer_2", "final", "beta(agent2)", "answer_1"]


async def test_a_live_session_without_a_log_says_it_has_no_snapshots():
    app = ScreenApp(workspace_events(log_dir=None))
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert NO_LOG in screen_text(app)


async def test_a_session_without_workspaces_says_no_agent_has_one(tmp_path):
    app = replay_app(write_workspace_log(tmp_path / "s", snapshots=False), tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("end", "w")
        await pilot.pause()
        assert NO_WORKSPACE in screen_text(app) and tree_lines(app) == []


def help_rows(app) -> set[tuple[str, str, str]]:
    """(where, keys, id) of every key the open help screen lists."""
    assert isinstance(app.screen, HelpScreen)
    under = app.screen.under()
    sections = active_sections(under) + elsewhere_sections(under)
    return {(where, row.shown_keys, i) for where, rows in sections for row in rows for i in row.ids}


async def test_help_and_palette_list_the_workspace_view(log, tmp_path):
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        titles = [c.title for c in screen_commands(app.screen)]
        assert "View: agents' workspaces (files by answer, diffs)" in titles
        await pilot.press("f1")
        await pilot.pause()
        assert {("replay", "w", "workspaces"), ("agent panel", "o", "open_tool_file")} <= help_rows(app)
        await pilot.press("escape", "end", "w")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        await pilot.press("f1")
        await pilot.pause()
        rows = help_rows(app)
        assert {("workspaces", "d", "workspace.diff"), ("workspaces", "p", "workspace.diff_previous")} <= rows
        assert not any(where == "replay" for where, _, _ in rows)  # the replay's keys do not act here


# ---------------------------------------------------------------------------- snapshots


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["200x50", "80x24"])
def test_snapshot_tree_and_file(snap_compare, log, tmp_path, size):
    assert snap_compare(replay_app(log, tmp_path), terminal_size=size, run_before=open_alpha_answer_2_app)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["200x50", "80x24"])
def test_snapshot_diff(snap_compare, log, tmp_path, size):
    assert snap_compare(replay_app(log, tmp_path), terminal_size=size, run_before=diff_beta_against_alpha)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["200x50", "80x24"])
def test_snapshot_empty(snap_compare, tmp_path, size):
    async def open_view(pilot) -> None:
        await pilot.press("end", "w")
        await pilot.pause()

    app = replay_app(write_workspace_log(tmp_path / "s", snapshots=False), tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=open_view)


async def test_file_names_show_as_written_and_a_tool_s_dot_slash_path_finds_its_file(log, tmp_path):
    root = log / "turn_1" / "alpha" / "answer_1" / "workspace"
    (root / "[bold]x.py").write_text("x = 1\n")
    (root / "bell\x1b]0;t\x07.txt").write_text("ring\n")
    app = replay_app(log, tmp_path)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("end")
        app.screen.action_workspaces(((1, "alpha", 1), "./app.py"))
        await pilot.pause()
        assert app.screen.shown == ((1, "alpha", 1), "app.py")
        lines = tree_lines(app)
        assert "[bold]x.py" in lines and "\x1b" not in "".join(lines)
        assert "[bold]x.py" in screen_text(app)


async def test_versions_name_their_turn_once_a_second_turn_has_snapshots(tmp_path):
    write_snapshots(tmp_path)
    (ws_root := tmp_path / "turn_2" / "alpha" / "answer_1" / "workspace").mkdir(parents=True)
    (ws_root / "app.py").write_text("print(7)\n")
    view = SessionView()
    view.answer_log = [(1, "alpha", 1)]
    app = App()
    async with app.run_test(size=BIG) as pilot:
        await app.push_screen(WorkspaceScreen(view, tmp_path))
        await pilot.pause()
        assert tree_lines(app) == ["alpha", "answer_1"]
        view.answer_log.append((2, "alpha", 1))  # the next turn's first answer arrives
        await pilot.pause(0.4)
        assert tree_lines(app) == ["alpha", "answer_1 (turn 1)", "answer_1 (turn 2)"]


async def test_brackets_do_nothing_over_a_live_session(tmp_path):
    write_snapshots(tmp_path)
    app = ScreenApp(workspace_events(log_dir=str(tmp_path)))
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert not app.screen.check_action("replay_step", (1,))
        assert "replay event" not in screen_text(app)
