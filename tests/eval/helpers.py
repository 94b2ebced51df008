"""Scripted question sets and agents for eval tests: each fake model answers each question as told."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import FAKE_KEY
from tests.coordination.helpers import vote_labels
from tests.fake_provider import CallTool, Delay, FakeProvider, Reply, Text

#: Four numeric questions and their right answers.
QUESTIONS = {"q1": ("What is 67 + 81?", "148"), "q2": ("What is 12 * 12?", "144"),
             "q3": ("What is 9 + 10?", "19"), "q4": ("What is 3 * 7?", "21")}
#: What each agent answers (alone, and in the protocol): a is always right, b on q1-q3, c on q1.
#: q3: three different answers (a right) -> a 1-1-1 tie that config order gives to a;
#: q4: b and c agree on a wrong answer -> majority wrong.
ANSWERS = {
    "a": {"q1": "148", "q2": "144", "q3": "19", "q4": "21"},
    "b": {"q1": "148", "q2": "144", "q3": "20", "q4": "24"},
    "c": {"q1": "148", "q2": "150", "q3": "18", "q4": "24"},
}
#: a wins every protocol session (everyone votes agent1); its presentation rewrites q1 to 168.
PRESENTED = {"q1": "168"}
EXPECTED_ACCURACY = {"single:a": 4, "single:b": 2, "single:c": 1, "majority": 3, "protocol": 3,
                     "protocol+verbatim": 4}


def write_questions(path: Path) -> Path:
    """The QUESTIONS as a JSONL file."""
    lines = [json.dumps({"id": qid, "question": q, "answer": a, "scorer": "numeric"})
             for qid, (q, a) in QUESTIONS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _question_id(request) -> str:
    text = request.last_user_text
    found = re.search(r"<original_message>\n(.*?)\n</original_message>", text, re.S)
    asked = found.group(1) if found else text
    return next(qid for qid, (q, _) in QUESTIONS.items() if q == asked)


def eval_agent(name: str, answers: Mapping[str, str], presented: Mapping[str, str] = {}, delay: float = 0.0,
               answer_delay: float = 0.0):
    """A stateless agent: it answers (alone or in a round with no answers yet), votes agent1 once answers
    exist, and presents ``presented[q]`` (default its answer) when chosen to. Replies take ``delay``
    seconds; protocol answers ``answer_delay`` more."""
    def respond(request) -> Reply:
        qid = _question_id(request)
        if not request.tools:
            presenting = "<original_message>" in request.last_user_text
            said = presented.get(qid, answers[qid]) if presenting else answers[qid]
            return Reply(Delay(delay), Text(f"The answer is {said}."))
        if not vote_labels(request):
            content = f"{name} says {answers[qid]}"
            return Reply(Delay(delay + answer_delay), CallTool("new_answer", {"content": content}))
        return Reply(CallTool("vote", {"agent_id": "agent1", "reason": "agent1 is right"}))

    return respond


def script_team(fake: FakeProvider, delay: float = 0.0, stagger: float = 0.0) -> None:
    """Point models m-a, m-b, m-c at the scripted agents a, b, c. ``stagger``: b's protocol answers come
    that much after a's, c's after b's, so every session runs the same way (same calls, same tokens)."""
    for i, (name, answers) in enumerate(ANSWERS.items()):
        fake.responder(f"m-{name}", eval_agent(name, answers, PRESENTED if name == "a" else {}, delay, i * stagger))


def write_team_config(fake: FakeProvider, path: Path) -> Path:
    """A YAML team config of agents a, b, c on the fake provider (for the command line)."""
    lines = ["agents:"]
    for name in ANSWERS:
        lines += [f"  - id: {name}", "    backend:", "      type: chatcompletion", f"      model: m-{name}",
                  f"      base_url: {fake.base_url('openai')}", f"      api_key: {FAKE_KEY}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
