"""Who has the keys: a panel from the first frame, the final answer once it opens, the question bar only after i.

Every key the key hints name is pressed in each state a user meets (at start, mid-stream, zoomed, after
a turn ends, in a replay), and nothing may land in the question bar.
"""

from __future__ import annotations

from textual.widgets import ContentSwitcher, Input

from massgen_tui.app.help_screen import HelpScreen
from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.app.widgets.sidebar import Sidebar
from massgen_tui.replay.session import open_session
from tests.app import scenarios
from tests.app.scenarios import ScreenApp
from tests.app.screen_text import screen_text
from tests.app.test_app_session import make_app, until, wait_for_turn
from tests.conftest import make_team
from tests.coordination.helpers import agent
from tests.replay.logs import finished_session, write_log

SIZE = (160, 40)
LONG_FINAL = "\n\n".join(f"Step {n}: still four." for n in range(1, 61))


def question_bar(app) -> Input:
    return app.live.query_one("#ask-bar", Input)


def showing(app) -> str:
    """``agents`` or ``final``: what the main area shows."""
    return app.live.query_one(ContentSwitcher).current


async def test_at_start_the_first_panel_has_the_keys_so_j_and_k_scroll_it_without_pressing_1_or_tab():
    app = ScreenApp(scenarios.long_output(500).events)
    async with app.run_test(size=SIZE) as pilot:
        view = app.live.panels["alpha"].view
        assert app.focused is view
        for _ in range(50):  # until the panel, following its output, sits at the end
            if view.max_scroll_y and view.scroll_y == view.max_scroll_y:
                break
            await pilot.pause(0.02)
        bottom = view.scroll_y
        assert bottom > 0
        await pilot.press("k", "k", "k", "j")
        assert view.scroll_y == bottom - 2
        await pilot.press("g")
        assert view.scroll_y == 0 and "│line 1 " in screen_text(app)


async def test_mid_stream_every_hinted_key_acts_and_nothing_reaches_the_question_bar():
    app = ScreenApp(scenarios.mid_stream().events)
    async with app.run_test(size=SIZE) as pilot:
        live = app.live
        await pilot.press("z")
        assert live.maximized is live.panels["alpha"]
        await pilot.press("z", "v")
        assert not live.query_one(Sidebar).display
        await pilot.press("v", "r")
        assert live.query_one(Sidebar).display and not live.view.show_reasoning
        await pilot.press("f")
        assert showing(app) == "final" and app.focused.id == "final-scroll"
        await pilot.press("f")
        assert showing(app) == "agents" and app.focused is live.panels["alpha"].view
        await pilot.press("slash", *"sum", "enter")
        assert live.panels["alpha"].view.transcript.hits and app.focused is live.panels["alpha"].view
        assert question_bar(app).value == ""


async def test_from_a_zoomed_panel_f_shows_the_final_answer_and_v_the_votes():
    app = ScreenApp(scenarios.finished().events)
    async with app.run_test(size=SIZE) as pilot:
        live = app.live
        await pilot.press("2", "z", "f")
        assert live.maximized is None and showing(app) == "final"
        assert "Final answer by alpha(agent1)" in screen_text(app)
        await pilot.press("2", "z", "v")
        assert live.maximized is None and live.query_one(Sidebar).display
        assert "beta(agent2) → alpha(agent1):" in screen_text(app)


async def test_when_a_turn_ends_the_final_answer_takes_the_keys_even_from_a_zoomed_panel():
    events = scenarios.finished().events
    ends = next(i for i, event in enumerate(events) if isinstance(event, scenarios.ev.ConsensusReached))
    app = ScreenApp(events[:ends])
    async with app.run_test(size=SIZE) as pilot:
        live = app.live
        await pilot.press("3", "z")
        live.apply_batch(events[ends:])
        await pilot.pause()
        assert live.maximized is None and showing(app) == "final" and app.focused.id == "final-scroll"
        await pilot.press("escape")  # back to the agents: the panel focused last has the keys again
        assert showing(app) == "agents" and app.focused is live.panels["gamma"].view


async def test_j_k_g_and_capital_g_scroll_the_final_answer():
    t = scenarios.voting()
    t.add(scenarios.ev.ConsensusReached(winner_id="alpha", tally={"alpha": 3}, reason="votes"))
    t.add(scenarios.ev.FinalEnded(agent_id="alpha", content=LONG_FINAL))
    t.add(scenarios.ev.TurnEnded(turn=1, status="completed", winner_id="alpha", final_answer=LONG_FINAL))
    app = ScreenApp(t.events)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        scroll = app.live.query_one("#final-scroll")
        assert app.focused is scroll and scroll.max_scroll_y > 10
        await pilot.press("j", "j", "j", "k")
        assert scroll.scroll_y == 2
        await pilot.press("G")
        assert scroll.scroll_y == scroll.max_scroll_y and "Step 60: still four." in screen_text(app)
        await pilot.press("g")
        assert scroll.scroll_y == 0


async def test_slash_from_the_final_answer_searches_the_agent_focused_last():
    app = ScreenApp(scenarios.finished().events)
    async with app.run_test(size=SIZE) as pilot:
        assert showing(app) == "final"
        await pilot.press("slash", *"four", "enter")
        alpha = app.live.panels["alpha"].view
        assert showing(app) == "agents" and app.focused is alpha and alpha.transcript.hits


async def test_a_replay_gives_the_keys_to_a_panel_from_its_first_frame_and_to_the_final_answer_at_the_end(tmp_path):
    log = write_log(tmp_path / "20261122-030000-abcd", finished_session())
    app = ReplayApp(open_session(log), settings_path=tmp_path / "settings.yaml", theme_dirs=())
    async with app.run_test(size=(100, 16)) as pilot:
        screen = app.screen
        alpha = screen.panels["alpha"].view
        assert app.focused is alpha
        await pilot.press("end")  # the end state: the final answer opens
        assert screen.query_one(ContentSwitcher).current == "final" and app.focused.id == "final-scroll"
        await pilot.press("escape")
        assert app.focused is alpha and alpha.max_scroll_y > 0
        await pilot.press("k", "k")
        assert alpha.scroll_y == alpha.max_scroll_y - 2


def long_final_team(fake):
    fake.responder("m1", agent("Four.", final=LONG_FINAL))
    fake.responder("m2", agent("4", vote_for="agent1"))
    fake.responder("m3", agent("IV", vote_for="agent1"))
    return make_team(fake, ("alpha", "chatcompletion", "m1"), ("beta", "claude", "m2"), ("gamma", "gemini", "m3"))


async def test_right_after_a_turn_ends_every_hinted_key_acts_and_nothing_reaches_the_question_bar(fake, tmp_path):
    app = make_app(long_final_team(fake), "What is 2+2?", tmp_path=tmp_path, logging_enabled=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_turn(app, pilot)
        live = app.live
        scroll = live.query_one("#final-scroll")
        assert showing(app) == "final" and app.focused is scroll
        await pilot.press("j", "j")
        assert scroll.scroll_y == 2
        await pilot.press("f")  # the reproduction: it used to be typed into the question bar
        alpha = live.panels["alpha"].view
        assert showing(app) == "agents" and app.focused is alpha
        # What streamed while the panel was hidden behind the final answer is laid out once it is shown:
        # the panel follows its output to the last step of the presentation.
        await until(pilot, lambda: alpha.max_scroll_y > 0 and alpha.scroll_y == alpha.max_scroll_y)
        assert "Step 60: still four." in screen_text(app)
        await pilot.press("k", "k")
        assert alpha.scroll_y == alpha.max_scroll_y - 2 > 0
        await pilot.press("v")
        assert not live.query_one(Sidebar).display
        await pilot.press("v", "z")
        assert live.query_one(Sidebar).display and live.maximized is live.panels["alpha"]
        await pilot.press("z", "r")
        assert live.maximized is None and not live.view.show_reasoning
        await pilot.press("slash", *"four", "enter")
        assert alpha.transcript.hits and app.focused is alpha
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert question_bar(app).value == "" and app.focused is alpha
