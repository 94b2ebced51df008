"""Small terminals and many agents: the key hints, the consensus strip and the ticker layout."""

from __future__ import annotations

import pytest

from massgen_tui.app.widgets.agent_area import AgentArea
from massgen_tui.app.widgets.consensus_strip import ConsensusStrip
from massgen_tui.app.widgets.sidebar import Sidebar
from massgen_tui.events import types as ev
from tests.app import scenarios
from tests.app.scenarios import GREEK, ScreenApp
from tests.app.screen_text import screen_text

NOTICE = "The embedded SmolLM2-135M-Instruct model (135M parameters) demonstrates the protocol, not answer quality."


def lines(app: ScreenApp) -> list[str]:
    return [line.rstrip() for line in screen_text(app).splitlines()]


def large_panel_title(app: ScreenApp) -> str:
    """The title row of the panel the ticker layout shows large."""
    return next(line for line in lines(app) if line.startswith("│ ") and "(agent" in line)


@pytest.mark.parametrize("width", [80, 60])
async def test_help_palette_and_cancel_hints_stay_whole_down_to_narrow_terminals(width):
    app = ScreenApp(scenarios.voting().events)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        hints = lines(app)[-1]
        assert hints.startswith(" ?  help   ^p  palette   ^c  cancel   z  zoom   f  final")
        assert "…" not in hints  # hints that do not fit are left out, not cut
        assert ("search" in hints) == (width == 80)


async def test_a_wide_terminal_shows_every_hint_in_full():
    app = ScreenApp(scenarios.voting().events)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        assert lines(app)[-1] == (" ?, F1  help   ^p  palette   ^c  cancel   z  zoom   f  final answer   "
                                          "v  votes   r  reasoning   /  search   i  ask")


async def test_at_80x24_the_strip_shows_consensus_then_the_winner():
    app = ScreenApp(scenarios.voting().events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.live.query_one(Sidebar).display
        assert lines(app)[-3].strip() == "turn 1 · answers 2/3 · votes 2/3 · leader alpha(agent1)"
        app.live.apply_batch(scenarios.finished().events[len(scenarios.voting().events):])
        await pilot.pause()
        assert lines(app)[-3].strip() == "turn 1 completed · answers 2/3 · votes 3/3 · ★ winner alpha(agent1)"
        assert "Final answer by alpha(agent1)" in screen_text(app)


async def test_the_strip_stands_in_for_the_sidebar_whenever_it_is_hidden():
    app = ScreenApp(scenarios.voting().events)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        strip = app.live.query_one(ConsensusStrip)
        assert not strip.display and "leader alpha" not in screen_text(app)
        await pilot.press("v")
        assert strip.display and "leader alpha(agent1)" in screen_text(app)


async def test_a_notice_pops_up_live_and_stays_in_the_strip_while_the_sidebar_is_hidden():
    timeline = scenarios.opening().add(ev.Notice(message=NOTICE))
    app = ScreenApp(timeline.events, live=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause(0.1)
        assert [n.message for n in app._notifications] == [NOTICE]
        app.clear_notifications()
        await pilot.pause()
        strip = lines(app)[-4:-2]
        assert strip[0].strip() == "turn 1 · answers 0/3 · votes 0/3"
        assert strip[1].startswith(" ⚠ The embedded SmolLM2-135M-Instruct model") and strip[1].endswith("…")


async def test_a_replayed_notice_does_not_pop_up():
    app = ScreenApp(scenarios.opening().add(ev.Notice(message=NOTICE)).events)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert not app._notifications and "⚠ The embedded" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_with_twelve_agents_every_agent_shows_its_latest_output(size):
    app = ScreenApp(scenarios.many_agents(12).events)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert all(f"last line of {name}" in text for name in GREEK)
        assert app.live.query_one(AgentArea).ticker_layout == (size != (200, 50))


async def test_in_the_ticker_layout_focus_keys_and_a_click_pick_the_large_panel():
    app = ScreenApp(scenarios.many_agents(12).events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert large_panel_title(app).startswith("│ 1  alpha(agent1)")
        await pilot.press("5")
        assert large_panel_title(app).startswith("│ 5  epsilon(agent5)")
        assert " 1  alpha STREAMING  last line of alpha" in lines(app)
        assert not any(line.startswith(" 5  epsilon STREAMING") for line in lines(app))
        await pilot.press("tab")
        assert large_panel_title(app).startswith("│ 6  zeta(agent6)")
        await pilot.press("shift+tab", "shift+tab")
        assert large_panel_title(app).startswith("│ 4  delta(agent4)")
        await pilot.click("#ticker-11")
        await pilot.pause()
        assert large_panel_title(app).startswith("│ 11  lambda(agent11)")
        assert app.focused is app.live.panels["lambda"].view


async def test_leaving_the_question_bar_goes_back_to_the_large_panel():
    app = ScreenApp(scenarios.many_agents(12).events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "i", "escape")
        assert app.focused is app.live.panels["epsilon"].view
        assert large_panel_title(app).startswith("│ 5  epsilon(agent5)")


async def test_a_ticker_follows_its_agent_output_and_status():
    app = ScreenApp(scenarios.many_agents(12).events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.live.apply_batch([ev.TextDelta(agent_id="mu", text=" and more words " * 10 + "the very end"),
                              ev.AgentStatus(agent_id="mu", status=ev.ANSWERED)])
        await pilot.pause()
        ticker = next(line for line in lines(app) if line.startswith(" 12  mu "))
        assert ticker.startswith(" 12  mu ANSWERED  …") and ticker.endswith("and more words the very end")


async def test_growing_the_terminal_goes_back_to_the_grid():
    app = ScreenApp(scenarios.many_agents(12).events)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        area = app.live.query_one(AgentArea)
        assert not area.ticker_layout and all(panel.display for panel in area.panels)
        assert not any(ticker.display for ticker in area.tickers.values())


async def test_a_replay_moving_back_redraws_the_tickers_and_the_strip(tmp_path):
    from massgen_tui.app.replay_app import ReplayApp
    from massgen_tui.replay.session import open_session
    from tests.replay.logs import write_log

    events = scenarios.many_agents(12).events + [ev.AnswerSubmitted(agent_id="mu", label="agent12", version=1,
                                                                      content="4")]
    folder = write_log(tmp_path / "20261122-030000-abcd", events)
    app = ReplayApp(open_session(folder), settings_path=tmp_path / "settings.yaml", theme_dirs=())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.seek(screen.total)
        await pilot.pause()
        assert "last line of mu" not in screen_text(app)  # its answer is its last line now
        assert " 12  mu STREAMING  4" in lines(app)
        assert "turn 1 · answers 1/12 · votes 0/12 · leader mu(agent12)" in screen_text(app)
        before_mu = next(n for n, e in enumerate(events) if getattr(e, "agent_id", "") == "mu")
        screen.seek(before_mu)
        await pilot.pause()
        assert " 12  mu WAITING  ━━ turn 1: What is 2+2?" in lines(app)
        assert "turn 1 · answers 0/12 · votes 0/12" in screen_text(app)
