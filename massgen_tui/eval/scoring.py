"""Answer extraction from a final text, and scoring it against the expected answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from massgen_tui.coordination.workflow import normalise_answer as normalise
from massgen_tui.eval.questions import Question

_NUMBER = re.compile(r"(?<![\d.])(?:-?\d[\d,]*(?:\.\d+)?|-?\.\d+)")
_PREFIX = re.compile(r"^\s*(?:final\s+)?answer\s*(?:is)?\s*[:=]?\s*", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class Score:
    """The extracted answer (``None``: nothing found) and whether it is right."""

    extracted: str | None
    correct: bool


def last_number(text: str) -> str | None:
    """The last number in ``text`` (thousands commas dropped), e.g. ``"so 1,234."`` -> ``"1234"``."""
    found = [m.group(0).replace(",", "") for m in _NUMBER.finditer(text)]
    found = [n for n in found if n not in ("-", "")]
    return found[-1] if found else None


def choice_letter(text: str, choices: tuple[str, ...]) -> str | None:
    """The letter chosen: the last standalone choice letter, else the letter of a choice quoted verbatim."""
    letters = "".join(chr(ord("A") + i) for i in range(len(choices)))
    found: list[str] = re.findall(rf"(?<![A-Za-z])([{letters}])(?![A-Za-z])", text)  # one group: the letters
    if found:
        return found[-1]
    lowered = normalise(text)
    matches = [chr(ord("A") + i) for i, c in enumerate(choices) if normalise(c) and normalise(c) in lowered]
    return matches[-1] if len(matches) == 1 else None


def last_line(text: str) -> str | None:
    """The last non-empty line without an ``Answer:`` prefix, normalised."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    return normalise(_PREFIX.sub("", normalise(lines[-1]))) or None


def extract(question: Question, text: str) -> str | None:
    """What ``question``'s scorer reads out of ``text``."""
    if question.scorer == "numeric":
        return last_number(text)
    if question.scorer == "choice":
        return choice_letter(text, question.choices)
    pattern = question.answer if question.scorer == "regex" else question.pattern
    if pattern:
        found = [m.group(0) for m in re.finditer(pattern, text)]
        return (normalise(found[-1]) or found[-1]) if found else None
    return last_line(text)


def score(question: Question, text: str) -> Score:
    """Extract and judge: numeric within ``tolerance``, choice by letter, exact after normalising, regex by match."""
    extracted = extract(question, text)
    if extracted is None:
        return Score(None, False)
    if question.scorer == "numeric":
        correct = abs(float(extracted) - float(question.answer)) <= max(question.tolerance, 1e-9)
    elif question.scorer == "choice":
        correct = extracted == question.answer.strip().upper()
    elif question.scorer == "regex":
        correct = True
    else:
        correct = extracted == normalise(question.answer)
    return Score(extracted, correct)
