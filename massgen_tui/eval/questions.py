"""Question sets: JSONL files of ``{"question", "answer", "scorer", ...}`` lines, and the bundled sets."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCORERS = ("exact", "numeric", "choice", "regex")
SETS_DIR = Path(__file__).resolve().parent / "sets"


class QuestionSetError(ValueError):
    """A question file that cannot be read; the message names the file and line."""


@dataclass(slots=True, frozen=True)
class Question:
    """One question. ``choices`` (choice scorer) are listed after the question as ``A) ...`` lines.

    ``tolerance`` is the numeric scorer's absolute tolerance; ``pattern`` the exact scorer's
    extraction regex (default: the last line of the answer text).
    """

    id: str
    question: str
    answer: str
    scorer: str = "exact"
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    pattern: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def prompt(self) -> str:
        """The text the agents are asked: the question, then its lettered choices."""
        if not self.choices:
            return self.question
        lines = [f"{chr(ord('A') + i)}) {choice}" for i, choice in enumerate(self.choices)]
        return "\n".join([self.question, *lines])


def bundled_sets() -> dict[str, Path]:
    """The question sets that ship with massgen-tui, by name (file name without ``.jsonl``)."""
    return {path.stem: path for path in sorted(SETS_DIR.glob("*.jsonl"))}


def resolve_set(name_or_path: str) -> Path:
    """A path to a JSONL file, or the name of a bundled set."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    sets = bundled_sets()
    if name_or_path in sets:
        return sets[name_or_path]
    raise QuestionSetError(f"{name_or_path}: no such file or bundled set (bundled: {', '.join(sets)})")


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question file; a line without ``id`` gets ``q<line number>``."""
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            question = _question(json.loads(line), number)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise QuestionSetError(f"{path}:{number}: {exc}") from None
        if question.id in seen:
            raise QuestionSetError(f"{path}:{number}: duplicate id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    if not questions:
        raise QuestionSetError(f"{path}: no questions")
    return questions


def _question(data: object, number: int) -> Question:
    if not isinstance(data, dict):
        raise TypeError("each line must be a JSON object")
    scorer = data.get("scorer", "exact")
    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r} (one of: {', '.join(SCORERS)})")
    choices = tuple(str(c) for c in data.get("choices", ()))
    if scorer == "choice" and not choices:
        raise ValueError("the choice scorer needs 'choices'")
    known = {"id", "question", "answer", "scorer", "choices", "tolerance", "pattern"}
    question = Question(
        id=str(data.get("id", f"q{number}")), question=str(data["question"]), answer=str(data["answer"]),
        scorer=scorer, choices=choices, tolerance=float(data.get("tolerance", 0.0)), pattern=data.get("pattern"),
        extra={k: v for k, v in data.items() if k not in known},
    )
    if scorer == "numeric":
        float(question.answer)  # fails early on a non-numeric expected answer
    return question


def shard(questions: list[Question], index: int, count: int) -> list[Question]:
    """Shard ``index`` (1-based) of ``count``: every ``count``-th question, so shards stay balanced."""
    return questions[index - 1::count]
