"""MassGen's ``voting_sensitivity`` and ``answer_novelty_requirement``, with MassGen's meaning.

Sensitivity is how hard the round instructions make it to vote instead of improving: ``lenient``
(MassGen's default) votes when an answer addresses the message well; ``balanced`` asks the agent to
name a weakness first and answer if it can fix it; ``strict`` asks it to score the best answer on a
rubric and vote only when nothing can be improved. MassGen's other values (checklists, ROI,
adversarial, ...) need machinery this version does not have: the loader accepts them with a warning
and :data:`~massgen_tui.config.strictness_levels.DEFAULT_SENSITIVITY` is used. The values
themselves are in :mod:`massgen_tui.config.strictness_levels`.

Novelty rejects a new answer whose words overlap an existing answer's too much (Jaccard similarity
of lower-cased word sets, MassGen's measure): over 70% with ``balanced``, over 50% with ``strict``,
never with ``lenient``, with the reason given to the model as the rejection.
"""

from __future__ import annotations

from collections.abc import Mapping

from massgen_tui.config.strictness_levels import DEFAULT_SENSITIVITY

#: Added to the round instructions when answers exist.
SENSITIVITY_GUIDANCE = {
    "lenient": "",
    "balanced": (
        " Before voting, name at least one weakness or missed opportunity of the best answer; if you can fix "
        "it (or combine answers to fix it), call `new_answer` instead."
    ),
    "strict": (
        " Before voting, score the best answer 0-3 on correctness and robustness, completeness, and clarity. "
        "Vote only if it scores 3 on all three; if you can improve any of them, call `new_answer`."
    ),
}
NOVELTY_GUIDANCE = {
    "lenient": "",
    "balanced": " A new answer must be meaningfully different from the existing ones, not a rephrasing.",
    "strict": (" A new answer must be substantially different from the existing ones (another approach or much "
               "more depth); if you cannot give one, vote."),
}
_NOVELTY_LIMIT = {"balanced": 0.70, "strict": 0.50}


def round_guidance(sensitivity: str | None, novelty: str) -> str:
    """The sentences the round instructions gain for these settings (empty for MassGen's defaults)."""
    return SENSITIVITY_GUIDANCE.get(sensitivity or DEFAULT_SENSITIVITY, "") + NOVELTY_GUIDANCE.get(novelty, "")


def word_overlap(first: str, second: str) -> float:
    """Jaccard similarity of the two texts' lower-cased word sets."""
    a, b = set(first.lower().split()), set(second.lower().split())
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def novelty_problem(content: str, answers: Mapping[str, str], requirement: str) -> str | None:
    """Why ``content`` is not novel enough against ``answers`` (label -> text), or ``None``."""
    limit = _NOVELTY_LIMIT.get(requirement)
    if limit is None:
        return None
    for label, existing in answers.items():
        overlap = word_overlap(content, existing)
        if overlap > limit:
            return (f"This answer is too similar to {label}'s answer ({overlap:.0%} of words shared; the limit is "
                    f"{limit:.0%}). Give a meaningfully different answer, or vote for {label}.")
    return None
