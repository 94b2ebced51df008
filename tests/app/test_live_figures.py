"""Live figures: estimated tokens and cost while a reply streams, the session bar, agent names everywhere."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from massgen_tui.app.export import session_markdown
from massgen_tui.app.live_screen import LiveScreen
from massgen_tui.events import types as ev
from massgen_tui.view.session_view import SessionView
from tests.app import scenarios
from tests.app.scenarios import ScreenApp
from tests.app.screen_text import screen_text


def header_facts(app: ScreenApp, agent_id: str) -> str:
    """The second header line of an agent's panel, as shown."""
    return app.live.panels[agent_id].header.render().plain.splitlines()[1]


def session_bar(app: App) -> str:
    return screen_text(app).splitlines()[0]


async def test_a_streaming_reply_shows_estimated_tokens_and_cost_until_the_providers_count_arrives():
    app = ScreenApp(scenarios.opening().events)
    async with app.run_test(size=(200, 50)) as pilot:
        app.live.apply_batch(scenarios.Timeline().add(
            ev.AgentStatus(agent_id="alpha", status=ev.STREAMING),
            *(ev.TextDelta(agent_id="alpha", text="Four. " * 10) for _ in range(6))).events)  # 360 characters
        await pilot.pause()
        # alpha runs gpt-4o-mini: 90 tokens estimated at $0.60 per million output tokens.
        assert header_facts(app, "alpha").endswith("in 0 out ~90 · ~$0.000054")
        assert "in 0 out ~90 · ~$0.000054" in session_bar(app)
        app.live.apply(ev.Usage(agent_id="alpha", input_tokens=1200, output_tokens=84, cost=0.00023))
        await pilot.pause()
        assert header_facts(app, "alpha").endswith("in 1.2k out 84 · $0.0002")
        assert "in 1.2k out 84 · $0.0002 + cost ?" in session_bar(app)


def test_self_hosted_models_are_free_and_a_model_without_a_price_says_so_from_the_start():
    view = SessionView()
    view.apply_all(scenarios.opening((("local", "agent1", "llama3.1"),), backend="ollama").events)
    view.apply(ev.TextDelta(agent_id="local", text="x" * 40))
    assert (view.agents["local"].estimated_output, view.totals().cost_text()) == (10, "free (self-hosted models)")
    view = SessionView()
    view.apply_all(scenarios.opening((("a", "agent1", "gpt-4o"), ("b", "agent2", "house-model"))).events)
    assert view.agents["b"].estimated_cost is None  # before any usage report: no price, no cost
    assert view.totals().cost_text() == "$0.0000 + cost ? (no list price for house-model)"


async def test_the_session_bar_names_the_config_and_keeps_the_clock_and_totals_in_view():
    class ClockApp(App):
        def __init__(self) -> None:
            super().__init__()
            self.now = 0.0

        def compose(self) -> ComposeResult:
            yield Static("")

        async def on_mount(self) -> None:
            await self.push_screen(LiveScreen(clock=lambda: self.now))

    events = scenarios.mid_stream().events
    app = ClockApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.now = events[0].ts + 75
        app.screen.apply_batch(events)
        await pilot.pause()
        assert session_bar(app).startswith(" team.yaml · 1:15 · turn 1 · 3 agents · in 2.1k out ~167 · $0.0004")
        await pilot.press("1", "z")  # zoomed, the figures stay on screen
        app.now += 60
        await pilot.pause(1.2)  # the clock's tick
        assert session_bar(app).startswith(" team.yaml · 2:15 · turn 1")


async def test_six_agents_are_named_alike_in_panels_sidebar_votes_and_export():
    app = ScreenApp(scenarios.six_agents_streaming().events)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert " 3  gamma(agent5) · claude-sonnet-4-5" in text  # the number is the config order
        assert "• zeta(agent6) v1" in text and "• alpha(agent1) v1" in text
        votes = app.live.query_one("#sidebar-votes", Static).render().plain  # wrapped on screen
        assert votes == "epsilon(agent4) → alpha(agent1): clear"
        assert header_facts(app, "gamma").endswith("out ~101 · ~$0.0015")
        assert header_facts(app, "delta").endswith("out ~101 · cost ?")
        assert "in 4.6k out ~312 · ~$0.0063 + cost ? (no list price for mystery-model)" in session_bar(app)
        markdown = session_markdown(app.live.view)
    assert "## gamma(agent5) · claude-sonnet-4-5" in markdown
    assert "- epsilon(agent4) → alpha(agent1): clear" in markdown
    assert "| delta(agent3) | 0 | ~101 | cost ? |" in markdown
    assert "Config: team.yaml · elapsed 0:" in markdown
