"""Errors that end a command with one clear message (never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class ConfigIssue:
    """A problem found in a configuration, located as precisely as the source allows."""

    level: str  # "error" or "warning"
    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    key_path: str = ""

    def __str__(self) -> str:
        where = str(self.file) if self.file else "<command line>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}: {self.level}:{key} {self.message}"


class ConfigError(Exception):
    """The configuration cannot be used. ``issues`` holds every error found (at least one)."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))
