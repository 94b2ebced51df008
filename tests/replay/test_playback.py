"""Playback pacing and go-to targets."""

from __future__ import annotations

import pytest

from massgen_tui.replay.playback import MAX_IDLE_SECONDS, SPEEDS, Playback, parse_target

TIMES = [100.0, 100.5, 101.0, 101.5, 400.0, 400.5]  # a five-minute idle gap before the fifth event


def test_events_come_at_the_recorded_pace_times_the_speed():
    playback = Playback()
    playback.start(TIMES, 1)
    assert playback.advance(0.4, TIMES, 1) == 1
    assert playback.advance(0.2, TIMES, 1) == 2
    playback.faster(1)
    assert playback.speed == 2.0
    assert playback.advance(0.5, TIMES, 2) == 4


def test_a_long_idle_gap_is_waited_for_at_most_a_moment():
    playback = Playback()
    playback.start(TIMES, 4)
    assert playback.advance(0.1, TIMES, 4) == 4
    assert playback.advance(MAX_IDLE_SECONDS, TIMES, 4) == 5


def test_playing_stops_at_the_end_and_speed_stays_within_its_range():
    playback = Playback()
    playback.start(TIMES, 5)
    assert playback.advance(10, TIMES, 5) == 6 and not playback.playing
    assert playback.faster(-20) == SPEEDS[0] == 0.25
    assert playback.faster(+20) == SPEEDS[-1] == 64.0


@pytest.mark.parametrize(("text", "position"), [
    ("50%", 4), ("0%", 1), ("100%", 6), ("1s", 3), ("0:01", 3), ("1.2", 3), ("5:00", 5), ("1h", None),
])
def test_go_to_a_time_or_a_percentage(text, position):
    if position is None:
        with pytest.raises(ValueError, match="give a time"):
            parse_target(text, TIMES)
    else:
        assert parse_target(text, TIMES) == position


@pytest.mark.parametrize("share", [10, 40, 99.9])
def test_a_percentage_is_a_share_of_the_sessions_time_not_of_its_events(share):
    position = parse_target(f"{share}%", TIMES)
    when = TIMES[0] + (TIMES[-1] - TIMES[0]) * share / 100
    assert TIMES[position - 1] <= when < TIMES[position]  # 40% is two minutes in: still before the gap ends


def test_a_percentage_over_100_is_refused():
    with pytest.raises(ValueError, match="from 0% to 100%"):
        parse_target("140%", TIMES)
