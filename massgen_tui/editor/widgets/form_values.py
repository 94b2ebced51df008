"""Form rows, and putting values from the file into form widgets without them reporting edits back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textual.containers import Horizontal
from textual.visual import VisualType
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from massgen_tui.editor.fields import Field, widget_value

#: The change messages form widgets post; held back while the form shows the file.
CHANGE_MESSAGES = (Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed)


def show_values(container: Widget, fields: Mapping[str, Field], read: Callable[[Field], Any]) -> None:
    """Show ``read(field)`` in each field's widget inside ``container``."""
    with container.prevent(*CHANGE_MESSAGES):
        for widget_id, field in fields.items():
            show_value(container.query_one(f"#{widget_id}"), widget_value(field, read(field)))


def show_value(widget: Widget, value: Any) -> None:
    """Show ``value`` in one widget, leaving it (and its cursor) alone when it already shows it."""
    if isinstance(widget, Select):
        try:
            widget.value = Select.NULL if value is None else value
        except InvalidSelectValueError:  # a value the list does not offer: the validator explains it
            widget.clear()
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, TextArea):
        if widget.text != value:
            widget.text = value
    elif isinstance(widget, Input) and widget.value != value:
        widget.value = value


def dig(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` inside nested mappings, or ``None``."""
    for part in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def field_row(label: str, *widgets: Widget) -> Horizontal:
    """A form row: a label, then its widgets."""
    return Horizontal(Label(label, classes="field-label"), *widgets, classes="field-row")


def set_content(widget: Static, content: VisualType) -> None:
    """Update ``widget`` only when its content changes (an update costs a layout pass)."""
    if widget.content != content:
        widget.update(content)
