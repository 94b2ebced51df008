"""Every MassGen event type with a counterpart here replays as it happened (MassGen-format logs
written by the tests): tool calls, reasoning, timeouts and errors, one copy of the final
presentation, ``--continue`` sessions turn by turn, and a log killed mid-presentation."""

from __future__ import annotations

from pathlib import Path

from massgen_tui.events import types as ev
from massgen_tui.replay.massgen_log import read_massgen_log
from massgen_tui.view.session_view import SessionView
from tests.replay.massgen_format import MassGenLog


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def view_of(events) -> SessionView:
    view = SessionView()
    for event in events:
        view.apply(event)
    return view


def test_mcp_tool_calls_show_with_arguments_and_result_and_are_counted(tmp_path: Path) -> None:
    log = MassGenLog()
    log.event("round_start", "beta", 0)
    log.event("tool_start", "beta", 0, tool_id="call_1", tool_name="mcp__files__read_file",
              args={"path": "notes.txt"}, server_name="files")
    log.event("tool_complete", "beta", 0, tool_id="call_1", tool_name="mcp__files__read_file",
              result="hello from notes", elapsed_seconds=0.25, status="success", is_error=False)
    log.event("tool_start", "beta", 0, tool_id="call_2", tool_name="search", args={"q": "x"}, server_name="web")
    log.event("tool_complete", "beta", 0, tool_id="call_2", tool_name="search", result="timeout",
              elapsed_seconds=30.0, status="error", is_error=True)
    log.turn()
    session = read_massgen_log(log.write(tmp_path / "log_1" / "turn_1" / "attempt_1", final="The answer is 4."))
    calls = [(e.call_id, e.name, e.arguments) for e in of(session.events, ev.ToolCallStarted)]
    assert calls == [("call_1", "mcp__files__read_file", {"path": "notes.txt"}),
                     ("call_2", "mcp__web__search", {"q": "x"})]
    results = [(e.call_id, e.result, e.is_error, e.duration) for e in of(session.events, ev.ToolCallFinished)]
    assert results == [("call_1", "hello from notes", False, 0.25), ("call_2", "timeout", True, 30.0)]
    beta = view_of(session.events).agents["beta"]
    assert (beta.tool_calls, beta.tool_errors) == (2, 1)
    lines = "\n".join(beta.transcript.texts)
    assert "files › read_file" in lines and "web › search" in lines
    assert "tool_start" not in session.skipped and "tool_complete" not in session.skipped


def test_reasoning_timeouts_errors_stops_winners_and_phases_are_translated(tmp_path: Path) -> None:
    log = MassGenLog()
    log.event("thinking", "gamma", 0, content="Let me think.", is_redacted=False)
    log.event("phase_change", None, 0, phase="coordination")
    log.event("error", "gamma", 0, error="HTTP 500 from provider")
    log.event("agent_stopped", "gamma", 0, summary="done early", status="complete")
    log.event("orchestrator_timeout", None, 0, timeout_reason="Time limit exceeded (30.1s/30s)",
              available_answers=1, selected_agent="alpha", selection_reason="most votes")
    log.turn()
    session = read_massgen_log(log.write(tmp_path / "log_1" / "turn_1" / "attempt_1"))
    assert [e.text for e in of(session.events, ev.ReasoningDelta)] == ["Let me think."]
    notices = [e.message for e in of(session.events, ev.Notice)]
    assert "phase: coordination" in notices and "gamma stopped (complete): done early" in notices
    assert ("orchestrator timeout: Time limit exceeded (30.1s/30s), 1 answer(s); presenting alpha (most votes)"
            in notices)
    assert [(e.agent_id, e.message, e.fatal) for e in of(session.events, ev.AgentError)] == [
        ("gamma", "HTTP 500 from provider", False)]
    (consensus,) = of(session.events, ev.ConsensusReached)  # winner_selected, not again at the presentation
    assert (consensus.winner_id, consensus.tally) == ("alpha", {"alpha": 3})
    assert not session.skipped


def test_the_final_presentation_reads_exactly_as_massgens_saved_answer(tmp_path: Path) -> None:
    final = "The answer is 4,\nbecause two and two make four."
    log = MassGenLog()
    log.turn(final=final)
    session = read_massgen_log(log.write(tmp_path / "log_1" / "turn_1" / "attempt_1", final=final))
    view = view_of(session.events)
    assert view.final_text == final == (tmp_path / "log_1/turn_1/attempt_1/final/alpha/answer.txt").read_text()
    assert "".join(e.text for e in of(session.events, ev.FinalDelta)) == final  # once, not twice
    assert not any(e.agent_id == "alpha" and "because" in e.text for e in of(session.events, ev.TextDelta))
    assert view.agents["alpha"].status == ev.WINNER and view.turn_status == "completed"


def test_a_continue_session_is_read_turn_by_turn_with_each_turns_tokens(tmp_path: Path) -> None:
    log = MassGenLog()
    log.turn(answer="4", final="Four.")
    log.event("text", "beta", 1, content="late flush")  # text flushed after the lock stays in turn 1
    log.turn(answer="6", final="Six.")
    root = tmp_path / "log_1"
    log.write(root / "turn_1" / "attempt_1", "What is 2+2?", tokens=100)
    MassGenLog().write(root / "turn_2" / "attempt_1", "And 3+3?", tokens=40, events=False)
    session = read_massgen_log(root)
    assert [(e.turn, e.question) for e in of(session.events, ev.TurnStarted)] == [
        (1, "What is 2+2?"), (2, "And 3+3?")]
    assert [(e.turn, e.status, e.final_answer) for e in of(session.events, ev.TurnEnded)] == [
        (1, "completed", "Four."), (2, "completed", "Six.")]
    turn_two = session.events[[e.seq for e in of(session.events, ev.TurnStarted)][1] - 1:]
    assert [e.content for e in of(turn_two, ev.AnswerSubmitted)] == ["6"]
    assert {e.agent_id: e.input_tokens for e in of(turn_two, ev.Usage)} == {"alpha": 40, "beta": 40, "gamma": 40}
    assert session.events[-1].totals["input_tokens"] == 120


def test_a_log_killed_during_the_final_presentation_shows_as_interrupted(tmp_path: Path) -> None:
    log = MassGenLog()
    log.turn(final="The answer is four, as two and two make four.", finish=False)
    session = read_massgen_log(log.write(tmp_path / "log_1" / "turn_1" / "attempt_1", complete=False))
    (ended,) = of(session.events, ev.TurnEnded)
    assert ended.status == ev.CANCELLED and ended.error == "the log ends before the final answer"
    view = view_of(session.events)
    assert view.turn_status == ev.CANCELLED and view.final_interrupted and view.final_done
    assert view.final_text == "The answer is four, as "  # what was presented before the log stops
    from massgen_tui.app.widgets.final_view import final_header

    assert "interrupted" in final_header(view).plain and "streaming" not in final_header(view).plain
