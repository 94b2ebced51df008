"""The values of MassGen's ``voting_sensitivity`` and ``answer_novelty_requirement`` that a config may set.

What each value does is in :mod:`massgen_tui.coordination.strictness`; the config checks need only
the vocabulary, so it lives here, with the config.
"""

from __future__ import annotations

DEFAULT_SENSITIVITY = "lenient"
#: The values massgen-tui implements.
SENSITIVITIES = ("lenient", "balanced", "strict")
#: Every value MassGen 0.1.97 accepts (``roi*`` are prefixes there).
MASSGEN_SENSITIVITIES = (
    *SENSITIVITIES, "checklist", "checklist_gated", "checklist_scored", "sequential", "adversarial",
    "consistency", "diversity", "reflective", "roi", "roi_conservative", "roi_aggressive",
)
NOVELTY_LEVELS = ("lenient", "balanced", "strict")


def is_massgen_sensitivity(value: str) -> bool:
    """Whether MassGen accepts ``value`` for ``voting_sensitivity``."""
    return value in MASSGEN_SENSITIVITIES or value.startswith("roi")
