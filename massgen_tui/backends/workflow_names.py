"""The names of the coordination protocol's two workflow tools.

The rules for them are in :mod:`massgen_tui.coordination.workflow`; the names live here, below the
coordination, because a backend must tell them apart too (Claude Code runs them in-process).
"""

from __future__ import annotations

NEW_ANSWER = "new_answer"
VOTE = "vote"
WORKFLOW_TOOLS = frozenset({NEW_ANSWER, VOTE})
