"""Regenerate the bundled question sets with computed answers: ``python -m massgen_tui.eval.sets.generate``.

A fixed seed keeps the files stable: rerunning rewrites them byte for byte.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
WEEKDAY = r"(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"


def arithmetic(rng: random.Random) -> list[dict[str, Any]]:
    """Sums, products and two-step word problems; numeric scorer."""
    items = []
    for _ in range(8):
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        items.append((f"What is {a} + {b}? Answer with the number only.", a + b))
    for _ in range(6):
        a, b = rng.randint(3, 19), rng.randint(3, 19)
        items.append((f"What is {a} * {b}? Answer with the number only.", a * b))
    for _ in range(6):
        boxes, per, eaten = rng.randint(2, 9), rng.randint(3, 12), rng.randint(1, 9)
        items.append((f"A shop has {boxes} boxes of {per} apples and sells {eaten} apples. How many apples are "
                      "left? Answer with the number only.", boxes * per - eaten))
    return [{"id": f"arith-{n:02d}", "question": q, "answer": str(a), "scorer": "numeric"}
            for n, (q, a) in enumerate(items, start=1)]


def dates(rng: random.Random) -> list[dict[str, Any]]:
    """Date arithmetic and weekdays; exact scorer reading an ISO date or a weekday name."""
    items = []
    for n in range(1, 7):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
        days = rng.randint(3, 60)
        items.append({"id": f"date-{n:02d}", "question": f"What date is {days} days after {start.isoformat()}? "
                      "Answer in YYYY-MM-DD format only.", "answer": (start + timedelta(days=days)).isoformat(),
                      "scorer": "exact", "pattern": ISO_DATE})
    for n in range(7, 13):
        day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2500))
        items.append({"id": f"date-{n:02d}", "question": f"What day of the week is {day.isoformat()}? "
                      "Answer with the weekday name only.", "answer": WEEKDAYS[day.weekday()],
                      "scorer": "exact", "pattern": WEEKDAY})
    return items


def choice(rng: random.Random) -> list[dict[str, Any]]:
    """Which of four expressions is largest; choice-letter scorer."""
    items = []
    for n in range(1, 11):
        while True:
            pairs = [(rng.randint(2, 15), rng.randint(2, 15)) for _ in range(4)]
            values = [a * b for a, b in pairs]
            if len(set(values)) == 4:
                break
        letter = "ABCD"[values.index(max(values))]
        items.append({"id": f"choice-{n:02d}", "question": "Which of these products is the largest? "
                      "Answer with the letter only.", "choices": [f"{a} x {b}" for a, b in pairs],
                      "answer": letter, "scorer": "choice"})
    return items


def main() -> None:
    """Write ``arithmetic.jsonl``, ``dates.jsonl`` and ``choice.jsonl`` next to this file."""
    for name, make in (("arithmetic", arithmetic), ("dates", dates), ("choice", choice)):
        lines = [json.dumps(item, ensure_ascii=False) for item in make(random.Random(name))]
        (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
