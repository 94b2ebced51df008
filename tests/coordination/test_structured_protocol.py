"""Agents that decide in JSON (``structured_output``) take part in the protocol like tool-calling ones."""

from __future__ import annotations

import json

from massgen_tui.backends.chat_completions import JSON_MODE_NOTICE
from massgen_tui.events import types as ev
from massgen_tui.view.session_view import SessionView
from tests.backends.test_structured_output import LLAMA_CPP_REFUSAL
from tests.conftest import make_team
from tests.coordination.helpers import run_session
from tests.fake_provider import HttpError, Reply, Text

TEAM = (("alpha", "chatcompletion", "json-a"), ("beta", "openai", "json-b"), ("gamma", "chatcompletion", "json-c"))


def _schema(request) -> dict | None:
    body = request.body
    if "response_format" in body:
        response_format = body["response_format"]
        return response_format.get("schema") or response_format["json_schema"]["schema"]
    return body.get("text", {}).get("format", {}).get("schema")


def _response_format(request) -> str | None:
    return request.body.get("response_format", {}).get("type")


def llama_cpp(respond):
    """A server that answers ``json_schema`` requests as llama.cpp's does (HTTP 500), the rest with ``respond``."""
    def serve(request) -> Reply:
        if _response_format(request) == "json_schema":
            return Reply(HttpError(500, LLAMA_CPP_REFUSAL))
        return respond(request)
    return serve


def _labels(schema: dict) -> list[str]:
    decision = schema["properties"]["decision"]
    for branch in decision.get("anyOf", [decision]):
        if "agent_id" in branch["properties"]:
            return branch["properties"]["agent_id"]["enum"]
    return []


def json_agent(answer: str, *, first: list[str] = ()) -> object:
    """Answers once in JSON, then votes for the first label; presents ``Final: answer`` in plain text."""
    queue = list(first)
    answered = False

    def respond(request) -> Reply:
        nonlocal answered
        schema = _schema(request)
        if schema is None:
            return Reply(Text(f"Final: {answer}"))
        if queue:
            return Reply(Text(queue.pop(0)))
        labels = _labels(schema)
        if not answered or not labels:
            answered = True
            decision = {"action": "new_answer", "content": answer}
        else:
            decision = {"action": "vote", "agent_id": labels[0], "reason": "first\nand fine"}
        return Reply(Text(json.dumps({"decision": decision}), chunk=7))

    return respond


def structured_team(fake, **orchestrator):
    team = make_team(fake, *TEAM, **orchestrator)
    for agent_config in team.agents:
        agent_config.backend.structured_output = True
    return team


async def test_json_deciding_agents_answer_vote_and_reach_a_winner(fake):
    for (_, _, model), answer in zip(TEAM, ("4", "four", "2+2=4"), strict=True):
        fake.responder(model, json_agent(answer))
    run = await run_session(structured_team(fake), "What is 2+2?")

    assert run.result.status == "completed"
    assert sorted(e.agent_id for e in run.of(ev.AnswerSubmitted)) == ["alpha", "beta", "gamma"]
    assert {e.target_label for e in run.of(ev.VoteCast)} == {"agent1"}
    assert run.result.winner_id == "alpha" and run.result.final_answer == "Final: 4"
    assert run.of(ev.VoteCast)[0].reason == "first\nand fine"
    round_requests = [r for r in fake.requests if _schema(r) is not None]
    assert round_requests and all(r.tools == [] for r in round_requests)  # no workflow tools offered
    first_round = [r for r in round_requests if "<current_answers>" not in r.last_user_text]
    assert first_round and all(_labels(_schema(r)) == [] for r in first_round)
    assert '"action": "new_answer"' in first_round[0].system


async def test_rounds_say_the_agent_decides_in_json_and_panels_show_text_and_vote_lines(fake):
    for (_, _, model), answer in zip(TEAM, ("4", "four", "2+2=4"), strict=True):
        fake.responder(model, json_agent(answer))
    run = await run_session(structured_team(fake), "What is 2+2?")

    assert run.of(ev.RoundStarted) and all(e.json_decisions for e in run.of(ev.RoundStarted))
    sent = "".join(e.text for e in run.of(ev.TextDelta) if e.agent_id == "beta")
    assert '{"decision": {"action": "vote"' in sent  # the events keep what the model sent
    view = SessionView()
    view.apply_all(run.events)
    beta = view.agents["beta"].transcript.texts
    assert "four" in beta and "☑ voted for alpha(agent1): first" in beta
    assert not any('"decision"' in text for agent in view.agents.values() for text in agent.transcript.texts)


async def test_cut_off_or_invalid_json_is_rejected_visibly_and_retried(fake):
    fake.responder("json-a", json_agent("4", first=['{"decision": {"action": "new_answer", "content": "4 bec',
                                                    "I think it is 4"]))
    fake.responder("json-b", json_agent("four"))
    fake.responder("json-c", json_agent("2+2=4"))
    run = await run_session(structured_team(fake), "What is 2+2?")

    rejections = [e for e in run.of(ev.WorkflowRejected) if e.agent_id == "alpha"]
    assert [r.attempt for r in rejections] == [1, 2]
    assert "cut off" in rejections[0].reason and "not valid JSON" in rejections[1].reason
    assert run.result.status == "completed"
    assert "alpha" in {e.agent_id for e in run.of(ev.AnswerSubmitted)}
    retry = [r for r in fake.requests_for("json-a") if _schema(r) is not None][2]
    assert "not valid JSON" in retry.messages[-1]["text"]  # the reason went back to the model


async def test_an_agent_that_never_sends_valid_json_is_out_after_its_attempts(fake):
    fake.responder("json-a", lambda request: Reply(Text("no json here")))
    fake.responder("json-b", json_agent("four"))
    fake.responder("json-c", json_agent("2+2=4"))
    run = await run_session(structured_team(fake, max_attempts=2), "What is 2+2?")

    assert [e.agent_id for e in run.of(ev.AgentError) if e.fatal] == ["alpha"]
    assert run.result.status == "completed" and run.result.winner_id in ("beta", "gamma")


async def test_agents_on_a_server_refusing_json_schema_fall_back_once_each_and_the_team_finishes(fake):
    fake.responder("json-a", llama_cpp(json_agent("4")))
    fake.responder("json-b", json_agent("four"))
    fake.responder("json-c", llama_cpp(json_agent("2+2=4")))
    run = await run_session(structured_team(fake), "What is 2+2?", "And 3+3?")

    assert [r.status for r in run.results] == ["completed", "completed"]
    assert run.results[0].final_answer == "Final: 4" and not run.of(ev.AgentError)
    for model in ("json-a", "json-c"):
        formats = [_response_format(r) for r in fake.requests_for(model) if _schema(r) is not None]
        assert formats[0] == "json_schema" and formats[1:] == ["json_object"] * (len(formats) - 1)
        assert len(formats) > 3  # later rounds and the second turn never try json_schema again
        for request in fake.requests_for(model)[1:]:
            if _schema(request) is not None:
                assert request.system.endswith(json.dumps(_schema(request), separators=(",", ":")))
    notices = [n.message for n in run.of(ev.Notice) if "json_schema" in n.message]
    assert sorted(notices) == [f"{agent_id}: {JSON_MODE_NOTICE}" for agent_id in ("alpha", "gamma")]


async def test_the_final_presentation_asks_for_plain_text_and_offers_no_tools(fake):
    for (_, _, model), answer in zip(TEAM, ("4", "four", "2+2=4"), strict=True):
        fake.responder(model, json_agent(answer))
    run = await run_session(structured_team(fake), "What is 2+2?")

    presenting = [r for r in fake.requests if _schema(r) is None]
    assert [r.model for r in presenting] == ["json-a"] and run.result.final_answer == "Final: 4"
    assert presenting[0].tools == [] and "response_format" not in presenting[0].body
    assert "<votes_for_you>" in presenting[0].last_user_text
