"""The session view: what events make of the header facts, the sidebar and the final answer."""

from __future__ import annotations

from massgen_tui.app.export import session_markdown
from massgen_tui.events import types as ev
from massgen_tui.view.session_view import SessionView
from tests.app import scenarios


def test_streamed_deltas_reach_the_transcript_exactly_and_in_order():
    view = SessionView()
    view.apply_all(scenarios.mid_stream().events)
    alpha = view.agents["alpha"].transcript
    assert "The answer is **4**." in alpha.texts
    assert "Models may write [bold] or [/] literally." in alpha.texts
    assert alpha.texts[-1] == "Done"
    reasoning = [text for kind, text in zip(alpha.kinds, alpha.texts, strict=True) if kind == "reasoning"]
    assert reasoning == ["The user asks for a sum.", "Two plus two is four."]


def test_applying_one_event_at_a_time_gives_the_same_view_as_a_batch():
    events = scenarios.finished().events
    one, batch = SessionView(), SessionView()
    for event in events:
        one.apply(event)
    batch.apply_all(events)
    for agent_id in batch.agents:
        assert one.agents[agent_id].transcript.texts == batch.agents[agent_id].transcript.texts
    assert one.final_text == batch.final_text


def test_usage_and_unknown_cost():
    view = SessionView()
    view.apply_all(scenarios.mid_stream().events)
    alpha, beta = view.agents["alpha"], view.agents["beta"]
    assert (alpha.input_tokens, alpha.output_tokens, alpha.cost_known) == (1200, 80, True)
    assert alpha.cost == 0.00042
    assert beta.cost_known is False


def test_votes_answers_restarts_and_consensus_progress():
    view = SessionView()
    view.apply_all(scenarios.voting().events)
    assert {a: (e.label, e.version) for a, e in view.answers.items()} == {
        "alpha": ("agent1", 1), "gamma": ("agent3", 1)}
    assert [(v.voter_id, v.target_label, v.valid) for v in view.votes] == [
        ("beta", "agent1", False), ("beta", "agent1", True), ("gamma", "agent1", True)]
    assert (view.voters, view.live_agents) == (2, 3)
    assert [r.text for r in view.restarts] == ["beta(agent2) → round 2: new answer from gamma(agent3)"]


def test_final_answer_and_winner():
    view = SessionView()
    view.apply_all(scenarios.finished().events)
    assert view.winner_id == "alpha"
    assert view.final_done and view.final_text.startswith("# Answer")
    assert view.turn_status == "completed"
    assert view.agents["alpha"].transcript.texts[-2:] == ["- `[bold]` stays literal", ""]


def test_elapsed_comes_from_event_times_and_stops_when_an_agent_settles():
    t = scenarios.opening()
    t.add(ev.AgentStatus(agent_id="beta", status=ev.VOTED), step=3.0)
    view = SessionView()
    view.apply_all(t.events)
    beta = view.agents["beta"]
    turn_start = t.events[1].ts
    assert beta.elapsed(now=turn_start + 100) == t.events[-1].ts - turn_start
    assert view.agents["alpha"].elapsed(now=turn_start + 100) == 100


def test_a_failed_agent_leaves_the_vote_count():
    view = SessionView()
    view.apply_all(scenarios.with_failure().events)
    gamma = view.agents["gamma"]
    assert gamma.status == ev.FAILED
    assert gamma.transcript.texts[-1] == "✗ failed: HTTP 401: invalid API key"
    assert view.live_agents == 2


def test_a_new_turn_resets_the_sidebar_but_keeps_every_transcript_line():
    t = scenarios.finished()
    t.add(ev.TurnStarted(turn=2, question="And 3+3?", labels={}))
    view = SessionView()
    view.apply_all(t.events)
    assert (view.turn, view.votes, view.answers, view.winner_id, view.final_text) == (2, [], {}, None, "")
    assert view.agents["alpha"].transcript.texts[0] == "━━ turn 1: What is 2+2?"
    assert view.agents["alpha"].transcript.texts[-1] == "━━ turn 2: And 3+3?"


def test_the_sidebar_timeline_shows_the_latest_entries_and_counts_the_rest():
    from massgen_tui.app.widgets.sidebar import TIMELINE_ENTRIES, timeline_text
    from massgen_tui.view.session_view import SessionView, TimelineEntry

    view = SessionView()
    view.timeline = [TimelineEntry(float(n), f"event {n}") for n in range(TIMELINE_ENTRIES + 5)]
    lines = timeline_text(view).plain.splitlines()
    assert lines[0] == "… 5 earlier" and len(lines) == TIMELINE_ENTRIES + 1
    assert lines[1].endswith("event 5") and lines[-1].endswith(f"event {TIMELINE_ENTRIES + 4}")


def panel(view: SessionView, agent_id: str) -> list[tuple[str, str]]:
    transcript = view.agents[agent_id].transcript
    return list(zip(transcript.kinds, transcript.texts, strict=True))


def test_json_decisions_show_the_answer_as_text_and_a_vote_as_the_vote_line_not_the_json():
    events = scenarios.json_decisions().events
    view = SessionView()
    view.apply_all(events)
    assert panel(view, "alpha")[2:] == [("text", "2 + 2 = 4 — add the units:"), ("text", "- 2 units"),
                                        ("text", "- 2 more u")]  # mid-stream, content before action
    assert panel(view, "beta")[2:] == [
        ("text", "4"), ("answer", "✔ new answer beta(agent2) v1:"), ("answer", "4"),
        ("rule", "↻ restart: new answer from agent3"), ("rule", "── round 2 · sees beta(agent2), gamma(agent3)"),
        ("vote", '☑ voted for gamma(agent3): shows the "counting on" step'),
    ]
    assert panel(view, "gamma")[2:6] == [  # a reply that is no JSON shows as sent
        ("text", "I think it is 4."),
        ("error", "✗ rejected (attempt 1): Your reply was not valid JSON (Expecting value)."),
        ("text", "Four."), ("text", 'Counting on from 2: "3, 4" — done.'),
    ]
    beta_sent = "".join(e.text for e in events if isinstance(e, ev.TextDelta) and e.agent_id == "beta")
    assert beta_sent == scenarios.BETA_JSON_ANSWER + scenarios.BETA_JSON_VOTE  # the events keep the JSON
    one = SessionView()
    for event in events:
        one.apply(event)
    assert all(panel(one, a) == panel(view, a) for a in view.agents)
    exported = session_markdown(view)
    assert "- 2 more u" in exported and '"decision"' not in exported


def test_a_json_answer_cut_off_shows_the_raw_reply_before_its_rejection():
    t = scenarios.opening(json_decisions=True)
    t.add(*scenarios.streamed("alpha", '{"decision": {"action": "new_answer", "content": "4 bec', 5))
    t.add(ev.WorkflowRejected(agent_id="alpha", reason="Your reply was cut off before the JSON ended.", attempt=1))
    view = SessionView()
    view.apply_all(t.events)
    assert panel(view, "alpha")[2:] == [
        ("text", "4 bec"), ("text", '{"decision": {"action": "new_answer", "content": "4 bec'),
        ("error", "✗ rejected (attempt 1): Your reply was cut off before the JSON ended."),
    ]


def test_a_json_vote_discarded_by_a_restart_still_shows_as_the_vote_it_was():
    t = scenarios.opening(json_decisions=True)
    t.add(ev.AgentStatus(agent_id="beta", status=ev.STREAMING),
          *scenarios.streamed("beta", scenarios.BETA_JSON_VOTE, 9))
    t.add(ev.AgentRestarted(agent_id="beta", reason="answers changed while it was voting", round=1))
    view = SessionView()
    view.apply_all(t.events)
    assert panel(view, "beta")[2:] == [("vote", '☑ voted for agent3: shows the "counting on" step'),
                                       ("rule", "↻ restart: answers changed while it was voting")]
    assert view.votes == []  # only a cast vote counts


def test_a_log_from_before_json_decisions_were_marked_shows_the_reply_as_sent():
    t = scenarios.opening(json_decisions=True)
    t.add(*scenarios.streamed("alpha", scenarios.BETA_JSON_ANSWER, 8))
    lines = [{k: v for k, v in e.to_dict().items() if k != "json_decisions"} for e in t.events]  # an old log
    view = SessionView()
    view.apply_all([ev.event_from_dict(line) for line in lines])
    assert panel(view, "alpha")[-1] == ("text", scenarios.BETA_JSON_ANSWER)
