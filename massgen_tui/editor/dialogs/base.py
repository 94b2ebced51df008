"""What every editor dialog shares: a centred box, its stylesheet, and Esc to cancel (result ``None``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog; Esc dismisses it with ``None``."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="editor.dialog.cancel")]

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)
