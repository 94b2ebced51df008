"""The problems panel: every error and warning of the config, in file order; Enter jumps to one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from massgen_tui.errors import ConfigIssue

_ICONS = {"error": ("✖", "bold red"), "warning": ("▲", "bold yellow")}


def issue_label(issue: ConfigIssue) -> Text:
    """``✖ 7:20 agents[1].backend.temperature: expected a number, got 'hot'``."""
    icon, style = _ICONS.get(issue.level, ("•", ""))
    where = f"{issue.line}:{issue.column or 1}" if issue.line is not None else "-"
    key = f"{issue.key_path}: " if issue.key_path else ""
    return Text.assemble((icon, style), f" {where:>6} ", key, issue.message)


class ProblemsPanel(OptionList):
    """Lists :class:`ConfigIssue` objects; ``issues`` holds them in the order shown."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.issues: list[ConfigIssue] = []

    def show(self, issues: list[ConfigIssue]) -> None:
        """Replace the list (keeping the highlighted row where possible)."""
        if issues == self.issues:
            return
        highlighted = self.highlighted
        self.issues = list(issues)
        self.set_options(Option(issue_label(issue)) for issue in issues)
        if issues:
            self.highlighted = min(highlighted or 0, len(issues) - 1)
        self.border_subtitle = _counts(issues)


def _counts(issues: list[ConfigIssue]) -> str:
    errors = sum(issue.level == "error" for issue in issues)
    warnings = len(issues) - errors
    if not issues:
        return "no problems"
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    return ", ".join(parts)
