"""Question files, answer extraction per scorer, the Wilson interval and the report's cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from massgen_tui.eval.plot import accuracy_cost_svg
from massgen_tui.eval.questions import Question, QuestionSetError, bundled_sets, load_questions
from massgen_tui.eval.report import rows, summarise, terminal_table, wilson
from massgen_tui.eval.scoring import score
from massgen_tui.eval.sets import generate

NUMERIC = Question("n", "What is 1000 + 234?", "1234", scorer="numeric")
CHOICE = Question("c", "Which is largest?", "B", scorer="choice", choices=("2 x 3", "4 x 5", "1 x 1"))
DATE = Question("d", "10 days after 2024-03-01?", "2024-03-11", scorer="exact", pattern=r"\d{4}-\d{2}-\d{2}")


@pytest.mark.parametrize(("question", "text", "extracted", "correct"), [
    (NUMERIC, "1000 + 234 = 1,234.", "1234", True),
    (NUMERIC, "I think 1233, no wait, 1234.0", "1234.0", True),
    (NUMERIC, "No idea.", None, False),
    (NUMERIC, "1234 (a countdown: 1.7.12.32)", "1.7", False),  # not ".32" out of a dotted run
    (CHOICE, "The answer is (B).", "B", True),
    (CHOICE, "4 x 5", "B", True),
    (CHOICE, "A) is smaller, so C", "C", False),
    (DATE, "Starting at 2024-03-01, that gives 2024-03-11.", "2024-03-11", True),
    (Question("e", "Capital?", "Paris"), "Let me think.\n**Answer: paris.**", "paris", True),
    (Question("r", "Say hi", r"(?i)\bhello\b", scorer="regex"), "Well, Hello there", "hello", True),
])
def test_the_scorer_extracts_the_answer_from_the_final_text(question, text, extracted, correct):
    result = score(question, text)
    assert (result.extracted, result.correct) == (extracted, correct)


def test_choices_are_listed_under_the_question():
    assert CHOICE.prompt == "Which is largest?\nA) 2 x 3\nB) 4 x 5\nC) 1 x 1"


def test_a_bad_line_is_named_with_its_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"question": "q", "answer": "1"}) + "\n" +
                    json.dumps({"question": "q", "answer": "x", "scorer": "fuzzy"}) + "\n")
    with pytest.raises(QuestionSetError, match=r"bad.jsonl:2: unknown scorer 'fuzzy'"):
        load_questions(path)


def test_the_bundled_sets_are_what_the_generator_writes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(generate, "HERE", tmp_path)
    generate.main()
    for name, path in bundled_sets().items():
        assert (tmp_path / f"{name}.jsonl").read_text() == path.read_text()
        questions = load_questions(path)
        # Every computed answer scores as right when stated plainly.
        assert all(score(q, f"The answer is {q.answer}.").correct for q in questions)
    assert {name: len(load_questions(p)) for name, p in bundled_sets().items()} == \
        {"arithmetic": 20, "choice": 10, "dates": 12}


def test_wilson_interval_matches_known_values():
    assert wilson(0, 0) == (0.0, 0.0)
    low, high = wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_the_report_row_of_a_mode():
    records = [{"id": f"q{i}", "mode": "protocol", "correct": i < 3, "tokens": 500, "cost": 0.01, "latency": 2.0}
               for i in range(4)]
    assert rows(summarise(records)) == [
        ["protocol", "4", "3", "75.0%", "30.1%-95.4%", "2000", "500", "$0.0400", "8.0", "2.00", "1.50"]
    ]


def test_the_terminal_table_leaves_columns_out_to_fit_a_narrow_terminal():
    records = [{"id": "q1", "mode": "protocol+no-self-vote", "correct": True, "tokens": 12345, "cost": None,
                "latency": 123.4}]
    wide, narrow = terminal_table(summarise(records)), terminal_table(summarise(records), width=80)
    assert "time s" in wide and len(wide.splitlines()[0]) > 80
    header = narrow.splitlines()[0].split()
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert header[:4] == ["mode", "n", "accuracy", "95%"] and "correct/1k" in header and "time" not in header


def test_the_plot_has_a_dot_and_a_legend_entry_per_mode():
    records = [{"id": "q1", "mode": m, "correct": m == "majority", "tokens": t, "cost": 0.0, "latency": 1.0}
               for m, t in (("single:a", 50), ("majority", 150), ("protocol", 1200))]
    svg = accuracy_cost_svg(summarise(records))
    assert "Accuracy vs tokens per question" in svg  # no prices: tokens on x
    assert svg.count("<circle") == 6
    assert ">majority 100%</text>" in svg and ">protocol 0%</text>" in svg
