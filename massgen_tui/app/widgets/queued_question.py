"""The question typed while a turn runs: held, shown over the question bar, sent when the turn ends."""

from __future__ import annotations

from rich.cells import cell_len, chop_cells
from textual.content import Content
from textual.widgets import Static

_LEAD = " ⏸ queued: "
_LONG_HINT = "  · sent when this turn ends · {key} cancels"
_SHORT_HINT = "  · {key} cancels"


def queued_line(question: str, cancel_key: str, width: int) -> Content:
    """One line naming the queued ``question`` and the key that cancels it, cut to ``width`` cells.

    The hint says when the question is sent only if the whole question fits beside it.
    """
    hint = _LONG_HINT.format(key=cancel_key)
    if cell_len(_LEAD) + cell_len(question) + cell_len(hint) > width:
        hint = _SHORT_HINT.format(key=cancel_key)
    room = max(width - cell_len(_LEAD) - cell_len(hint), 1)
    shown = question if cell_len(question) <= room else chop_cells(question, room - 1)[0].rstrip() + "…"
    return Content.assemble((_LEAD, "bold $warning"), shown, (hint, "dim"))


class QueuedQuestion(Static):
    """Holds one question until the running turn ends (a newer one replaces it); hidden while empty."""

    def __init__(self, cancel_key: str, *, id: str | None = None, classes: str | None = None) -> None:
        """``cancel_key`` is the key named on the line as the one that cancels."""
        super().__init__(markup=False, id=id, classes=classes)
        self.question: str | None = None
        self.cancel_key = cancel_key
        self.display = False

    def hold(self, question: str) -> str | None:
        """Queue ``question``; returns the one it replaced, if any."""
        replaced, self.question = self.question, question
        self._show()
        return replaced

    def take(self) -> str | None:
        """The queued question, now no longer queued (``None`` if there was none)."""
        question, self.question = self.question, None
        self._show()
        return question

    def _show(self) -> None:
        self.display = self.question is not None
        self.refresh()

    def render(self) -> Content:
        return queued_line(self.question or "", self.cancel_key, self.size.width)
