"""Events are stamped in order, survive a JSON round trip, and a broken consumer cannot stop the stream."""

import json

import pytest

from massgen_tui.events import EVENT_TYPES, EventBus, event_from_dict
from massgen_tui.events import types as ev
from massgen_tui.events.types import UnknownEventType


def test_every_event_round_trips_through_json():
    samples = [
        ev.SessionStarted(session_id="s", agents=[{"id": "a"}], config={"agents": []}, log_dir="/tmp/x"),
        ev.TurnStarted(turn=1, question="Q?", labels={"a": "agent1"}),
        ev.TextDelta(agent_id="a", text="he said [bold]hi[/]\n"),
        ev.VoteCast(agent_id="a", target_id="b", target_label="agent2", reason="r"),
        ev.Usage(agent_id="a", input_tokens=3, output_tokens=4, cost=None),
        ev.SessionEnded(status="completed", totals={"cost": 0.1}),
    ]
    for event in samples:
        line = json.dumps(event.to_dict())
        assert event_from_dict(json.loads(line)) == event


def test_every_event_type_is_registered_under_a_unique_tag():
    assert len(EVENT_TYPES) == len({cls.type for cls in EVENT_TYPES.values()})
    assert "text" in EVENT_TYPES and "vote" in EVENT_TYPES and "final_delta" in EVENT_TYPES


def test_unknown_type_is_reported():
    with pytest.raises(UnknownEventType):
        event_from_dict({"type": "teleport", "seq": 1})


def test_bus_stamps_rising_sequence_numbers_and_times():
    clock = iter([10.0, 10.5, 11.0])
    bus = EventBus(clock=lambda: next(clock))
    seen = []
    bus.subscribe(seen.append)
    for text in "abc":
        bus.publish(ev.TextDelta(agent_id="a", text=text))
    assert [(e.seq, e.ts, e.text) for e in seen] == [(1, 10.0, "a"), (2, 10.5, "b"), (3, 11.0, "c")]


def test_a_failing_subscriber_is_dropped_and_the_others_keep_receiving(caplog):
    bus = EventBus()
    seen = []

    def broken(event):
        raise RuntimeError("boom")

    bus.subscribe(broken)
    bus.subscribe(seen.append)
    bus.publish(ev.Notice(message="one"))
    bus.publish(ev.Notice(message="two"))
    assert [e.message for e in seen] == ["one", "two"]
    assert "failed; unsubscribing" in caplog.text


def test_unsubscribe_stops_delivery():
    bus = EventBus()
    seen = []
    stop = bus.subscribe(seen.append)
    bus.publish(ev.Notice(message="one"))
    stop()
    bus.publish(ev.Notice(message="two"))
    assert len(seen) == 1
