"""Every binding of the live screen and its panels, driven with Pilot over recorded events."""

from __future__ import annotations

from textual import events
from textual.widgets import ContentSwitcher, Input

from massgen_tui.app.widgets.sidebar import Sidebar
from tests.app import scenarios
from tests.app.scenarios import ScreenApp
from tests.app.screen_text import first_panel_rows, screen_text

SIZE = (160, 40)


def panel_view(app: ScreenApp, agent_id: str):
    return app.live.panels[agent_id].view


async def test_number_keys_tab_and_shift_tab_focus_agents():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert app.focused is panel_view(app, "beta")
        await pilot.press("tab")
        assert app.focused is panel_view(app, "gamma")
        await pilot.press("tab")
        assert app.focused is panel_view(app, "alpha")
        await pilot.press("shift+tab")
        assert app.focused is panel_view(app, "gamma")
        await pilot.press("9")  # no ninth agent: focus stays
        assert app.focused is panel_view(app, "gamma")


async def test_scroll_keys_move_the_focused_panel():
    app = ScreenApp(scenarios.long_output(500).events)
    async with app.run_test(size=SIZE) as pilot:
        view = panel_view(app, "alpha")
        await pilot.press("1")
        bottom = view.max_scroll_y
        assert view.scroll_y == bottom > 400  # it followed the output to the end
        await pilot.press("k", "k")
        assert view.scroll_y == bottom - 2
        await pilot.press("j")
        assert view.scroll_y == bottom - 1
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("pagedown")
        page = view.scroll_y
        assert page >= 20
        await pilot.press("pageup")
        assert view.scroll_y == 0
        await pilot.press("G")
        assert view.scroll_y == bottom
        await pilot.press("home")
        assert view.scroll_y == 0 and "│line 1 " in screen_text(app)
        await pilot.press("end")
        assert view.scroll_y == bottom and "line 500" in screen_text(app)


async def test_scrolled_up_panel_stops_following_and_counts_new_lines_until_end():
    app = ScreenApp(scenarios.long_output(200).events)
    async with app.run_test(size=SIZE) as pilot:
        view = panel_view(app, "alpha")
        await pilot.press("1", "g")
        t = scenarios.Timeline(start=2e9)
        t.add(*(scenarios.ev.TextDelta(agent_id="alpha", text=f"more {n}\n") for n in range(7)))
        app.live.apply_batch(t.events)
        await pilot.pause()
        assert view.scroll_y == 0
        assert "↓ 7 new lines (End)" in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert "new lines" not in screen_text(app)
        assert "more 6" in screen_text(app)


async def test_mouse_wheel_scrolls_the_panel_under_the_pointer():
    app = ScreenApp(scenarios.long_output(300).events)
    async with app.run_test(size=SIZE) as pilot:
        view = panel_view(app, "alpha")
        await pilot.press("2")  # focus elsewhere: the wheel follows the pointer, not the focus
        bottom = view.scroll_y
        assert not view.show_vertical_scrollbar  # following the output: no scrollbar, the wheel still works
        await pilot._post_mouse_events([events.MouseScrollUp], view, offset=(5, 5))
        await pilot.pause()
        assert view.scroll_y < bottom
        assert not view.following and view.show_vertical_scrollbar
        await pilot.press("1", "end")
        await pilot.pause()
        assert view.following and not view.show_vertical_scrollbar


async def test_search_highlights_hits_and_n_and_shift_n_move_between_them():
    app = ScreenApp(scenarios.long_output(300).events)
    async with app.run_test(size=SIZE) as pilot:
        view = panel_view(app, "alpha")
        await pilot.press("1", "slash")
        assert isinstance(app.focused, Input) and app.focused.id == "search-bar"
        app.focused.value = "line 25"
        await pilot.press("enter")
        assert app.focused is view
        hits = view.transcript.hits
        assert [h.line for h in hits][:3] == [view.transcript.texts.index("line 25"),
                                              view.transcript.texts.index("line 250"),
                                              view.transcript.texts.index("line 251")]
        assert view.current_hit == 0 and "line 25" in screen_text(app)
        await pilot.press("n")
        assert view.current_hit == 1
        first_row = view.scroll_y
        await pilot.press("N", "N")
        assert view.current_hit == len(hits) - 1
        assert view.scroll_y != first_row


async def test_escape_closes_the_search_bar_without_searching():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "slash", "x", "escape")
        assert not app.live.query_one("#search-bar").display
        assert panel_view(app, "alpha").transcript.query == ""


async def test_z_zooms_the_focused_panel_and_back():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "z")
        assert app.live.maximized is app.live.panels["beta"]
        text = screen_text(app)
        assert "beta(agent2)" in text and "alpha(agent1)" not in text
        await pilot.press("3")  # another agent while zoomed: zoom that one
        assert app.live.maximized is app.live.panels["gamma"]
        await pilot.press("slash")
        await pilot.press("escape")  # searching while zoomed keeps the zoom
        assert app.live.maximized is app.live.panels["gamma"]
        await pilot.press("z")
        assert app.live.maximized is None
        assert "alpha(agent1)" in screen_text(app)


async def test_panels_reflow_when_the_terminal_is_resized():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tops = {panel.region.y for panel in app.live.panels.values()}
        assert len(tops) == 1  # side by side
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        assert len({panel.region.y for panel in app.live.panels.values()}) == 3  # one per row
        assert not app.live.query_one(Sidebar).display


async def test_f_shows_the_final_answer_and_back():
    app = ScreenApp(scenarios.finished().events)
    async with app.run_test(size=SIZE) as pilot:
        switcher = app.live.query_one(ContentSwitcher)
        assert switcher.current == "final"  # a completed turn opens it
        await pilot.pause()
        text = screen_text(app)
        assert "Final answer by alpha(agent1)" in text and "[bold]" in text
        assert "saved: /home/user/.local/state/massgen-tui/log/sessions/20261122-030000-abcd/turn_1/final.md" in text
        await pilot.press("f")
        assert switcher.current == "agents"
        await pilot.press("f")
        assert switcher.current == "final"
        await pilot.press("escape")
        assert switcher.current == "agents"


async def test_v_hides_and_shows_the_votes_sidebar():
    app = ScreenApp(scenarios.voting().events)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.live.query_one(Sidebar)
        await pilot.pause()
        assert sidebar.display and "beta(agent2) → alpha(agent1)" in screen_text(app)
        await pilot.press("v")
        assert not sidebar.display and "beta(agent2) → alpha(agent1)" not in screen_text(app)
        await pilot.press("v")
        assert sidebar.display


async def test_r_hides_and_shows_reasoning():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "The user asks for a sum." in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "The user asks for a sum." not in text and "The answer is **4**." in text
        await pilot.press("r")
        await pilot.pause()
        assert "The user asks for a sum." in screen_text(app)


async def test_tool_calls_are_one_line_each_with_server_tool_state_and_short_arguments():
    app = ScreenApp(scenarios.tool_use().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        # Cut to the panel's width with an ellipsis; the state stays in view right after the name.
        assert '│⚙ files › read_file ✓ ok 0.3s  path="notes/arithmetic.md" … │' in text
        assert '│⚙ calc › evaluate ✗ error 1.3s  expression="2+2" precision… │' in text
        assert '⚙ web › search …  query="is 2+2 always 4"' in text
        assert "2 + 2 = 4\n" not in text and "division by zero" not in text  # results wait for an expand


async def test_t_expands_the_last_tool_call_in_view_and_collapses_it_again():
    app = ScreenApp(scenarios.tool_use().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "t")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        search = next(i for i, line in enumerate(lines) if "⚙ web › search" in line)
        assert "arguments:" in lines[search + 1] and '"query": "is 2+2 always 4"' in lines[search + 3]
        assert "# Arithmetic" not in screen_text(app)  # the other calls stay collapsed
        await pilot.press("t")
        await pilot.pause()
        assert "arguments:" not in screen_text(app)


async def test_clicking_a_tool_call_shows_its_full_arguments_and_result():
    app = ScreenApp(scenarios.tool_use().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = panel_view(app, "alpha")
        row = view.transcript.row_of(view.transcript.tool_lines[1])
        await pilot.click(view, offset=(3, row))
        await pilot.pause()
        lines = first_panel_rows(app)
        evaluate = next(i for i, line in enumerate(lines) if "⚙ calc › evaluate" in line)
        assert lines[evaluate + 1:evaluate + 8] == [
            "arguments:", "{", '"expression": "2+2",', '"precision": 2', "}", "error:", "division by zero in step 3",
        ]


async def test_capital_t_expands_every_tool_call_in_every_panel():
    app = ScreenApp(scenarios.tool_use().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T")
        await pilot.pause()
        text = screen_text(app)
        assert "# Arithmetic" in text and "division by zero in step 3" in text and "README.md" in text
        await pilot.press("T")
        await pilot.pause()
        assert "# Arithmetic" not in screen_text(app)


async def test_sidebar_counts_tool_calls_per_agent_and_hides_the_section_without_any():
    app = ScreenApp(scenarios.tool_use().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Tool calls" in text and "alpha(agent1) 3 calls, 1 failed" in text and "beta(agent2) 1 call" in text
    app = ScreenApp(scenarios.long_output(5).events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Tool calls" not in screen_text(app)


async def test_c_copies_the_final_answer_and_names_the_saved_file_as_fallback():
    app = ScreenApp(scenarios.finished().events)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == app.live.view.final_text and app.clipboard.startswith("# Answer")
        assert "20261122-030000-abcd/turn_1/final.md" in "".join(screen_text(app).split())


async def test_i_focuses_the_question_bar_and_escape_leaves_it():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert app.focused.id == "ask-bar"
        await pilot.press("escape")
        assert app.focused is panel_view(app, "alpha")
