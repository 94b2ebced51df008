"""The results file: one JSON line per question x mode, appended as each finishes (so a run can resume)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

RESULTS_FILE = "results.jsonl"

Record = dict[str, Any]
"""One line: id, mode, question, expected, answer, extracted, correct, status, tokens, cost, latency, log_dir, ..."""


def read_records(path: Path) -> list[Record]:
    """The complete lines of a results file (a line cut short by a kill is skipped)."""
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def done_keys(records: Iterable[Record]) -> set[tuple[str, str]]:
    """The (question id, mode) pairs that already have a result."""
    return {(r["id"], r["mode"]) for r in records}


class RecordSink(Protocol):
    """Where a runner puts each finished record (:class:`ResultsWriter`, or nowhere on a Ray node)."""

    def write(self, record: Record) -> None:
        """Take one record."""
        ...


class ResultsWriter:
    """Appends records to ``path``, one flushed line each."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "a", encoding="utf-8", buffering=1)
        if self._file.tell() and not path.read_bytes().endswith(b"\n"):
            self._file.write("\n")  # a line cut short by a kill stays alone on its line

    def write(self, record: Record) -> None:
        """Append one record."""
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def merge(paths: Iterable[Path]) -> list[Record]:
    """Records of several results files (shards), one per (id, mode): the first seen wins."""
    seen: set[tuple[str, str]] = set()
    merged = []
    for path in paths:
        for record in read_records(path):
            key = (record["id"], record["mode"])
            if key not in seen:
                seen.add(key)
                merged.append(record)
    return merged
