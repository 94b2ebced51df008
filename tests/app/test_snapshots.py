"""Snapshots of the live screen fed with recorded events (deterministic: times come from the events)."""

from __future__ import annotations

import pytest

from massgen_tui.app.help_screen import HelpScreen
from tests.app import scenarios
from tests.app.scenarios import ScreenApp

SIZE = (160, 40)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_three_agents_mid_stream(snap_compare):
    assert snap_compare(ScreenApp(scenarios.mid_stream().events), terminal_size=SIZE, run_before=settle)


def test_votes_in_the_sidebar(snap_compare):
    assert snap_compare(ScreenApp(scenarios.voting().events), terminal_size=SIZE, run_before=settle)


def test_final_answer(snap_compare):
    async def final_rendered(pilot) -> None:
        await settle(pilot)
        await pilot.app.live.query_one("#final-markdown").update(pilot.app.live.view.final_text)
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.finished().events), terminal_size=SIZE, run_before=final_rendered)


def test_json_decisions_as_text_mid_stream_and_as_a_vote_line(snap_compare):
    """alpha mid-way through a JSON answer, beta after a JSON vote, gamma's non-JSON reply as sent."""
    assert snap_compare(ScreenApp(scenarios.json_decisions().events), terminal_size=SIZE, run_before=settle)


def test_failed_agent(snap_compare):
    assert snap_compare(ScreenApp(scenarios.with_failure().events), terminal_size=SIZE, run_before=settle)


def test_zoomed_panel(snap_compare):
    assert snap_compare(ScreenApp(scenarios.voting().events), terminal_size=SIZE, press=["2", "z"],
                        run_before=settle)


def test_search_hits_highlighted(snap_compare):
    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("1", "slash")
        pilot.app.focused.value = "line 1"
        await pilot.press("enter", "n")

    assert snap_compare(ScreenApp(scenarios.long_output(300).events), terminal_size=SIZE, run_before=search)


def test_tool_calls_expanded_and_collapsed(snap_compare):
    async def expand_two(pilot) -> None:
        await settle(pilot)
        await pilot.press("1", "t")  # the running search call, by key
        view = pilot.app.live.panels["alpha"].view
        await pilot.click(view, offset=(3, view.transcript.row_of(view.transcript.tool_lines[1])))  # by mouse
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.tool_use().events), terminal_size=SIZE, run_before=expand_two)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_terminal_sizes(snap_compare, size):
    assert snap_compare(ScreenApp(scenarios.voting().events), terminal_size=size, run_before=settle)


def test_80x24_with_three_agents_after_the_turn(snap_compare):
    """The final answer, the strip with consensus and the winner (no room for the sidebar), whole key hints."""
    async def final_rendered(pilot) -> None:
        await settle(pilot)
        await pilot.app.live.query_one("#final-markdown").update(pilot.app.live.view.final_text)
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.finished().events), terminal_size=(80, 24), run_before=final_rendered)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_twelve_agents(snap_compare, size):
    """80x24: the first agent large over one ticker line per other agent; 200x50: a grid of twelve."""
    assert snap_compare(ScreenApp(scenarios.many_agents(12).events), terminal_size=size, run_before=settle)


def test_twelve_agents_at_80x24_after_focusing_the_seventh(snap_compare):
    assert snap_compare(ScreenApp(scenarios.many_agents(12).events), terminal_size=(80, 24), press=["7"],
                        run_before=settle)


def test_help_screen_lists_the_keys_of_the_screen_under_it(snap_compare):
    """An agent panel has focus: its keys, the screen's and the app's, then the final answer's (not focused)."""
    async def open_help(pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(HelpScreen())
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.voting().events), terminal_size=SIZE, run_before=open_help)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_a_queued_question(snap_compare, size):
    async def queue(pilot) -> None:
        await settle(pilot)
        pilot.app.live.queued.hold("and what is 3+3, written in Roman numerals, with a short proof?")
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.mid_stream().events), terminal_size=size, run_before=queue)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_six_agents_with_live_estimates_and_session_totals(snap_compare, size):
    assert snap_compare(ScreenApp(scenarios.six_agents_streaming().events), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_config_warnings_listed(snap_compare, size):
    from pathlib import Path

    from massgen_tui.app.config_warnings import ConfigWarningsScreen
    from massgen_tui.errors import ConfigIssue

    warnings = [
        ConfigIssue("warning", "unknown key 'temprature'; did you mean 'temperature'?", Path("team.yaml"), 6, 7,
                    "agents[0].backend.temprature"),
        ConfigIssue("warning", "unknown key 'sytem_message'; did you mean 'system_message'?", Path("team.yaml"), 9, 5,
                    "agents[0].sytem_message"),
    ]

    async def open_warnings(pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ConfigWarningsScreen("team.yaml", warnings))
        await pilot.pause()

    assert snap_compare(ScreenApp(scenarios.voting().events), terminal_size=size, run_before=open_warnings)
