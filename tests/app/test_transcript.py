"""The transcript model: streamed text is kept exactly, laid out into rows, searchable."""

from __future__ import annotations

import pytest

from massgen_tui.view import transcript as tk
from massgen_tui.view.transcript import Transcript
from massgen_tui.view.wrap import wrap_starts


def rows(transcript: Transcript, width: int) -> list[str]:
    transcript.layout(width)
    out = []
    for y in range(transcript.row_count):
        out.append(transcript.row_text(y))
    return out


@pytest.mark.parametrize("chunks", [
    ["Hello wor", "ld.\nSecond line\n", "Third"],
    ["Hello world.", "\n", "Second line", "\nThird"],
    ["H", "ello world.\nSe", "cond line\nThi", "rd"],
])
def test_streamed_text_is_kept_exactly_whatever_the_chunking(chunks):
    transcript = Transcript()
    for chunk in chunks:
        transcript.append_stream(tk.TEXT, chunk)
    assert transcript.texts == ["Hello world.", "Second line", "Third"]


def test_chunk_ending_with_newline_then_marker_leaves_no_phantom_line():
    transcript = Transcript()
    transcript.append_stream(tk.TEXT, "one\n\n")
    transcript.append_line(tk.VOTE, "☑ voted")
    assert transcript.texts == ["one", "", "☑ voted"]


def test_markup_is_text_and_control_characters_are_made_visible():
    transcript = Transcript()
    transcript.append_stream(tk.TEXT, "[bold]x[/] \x1b[31mred\ttab\r\n")
    assert transcript.texts[0] == "[bold]x[/] \u241b[31mred    tab"


def test_reasoning_and_text_never_share_a_line():
    transcript = Transcript()
    transcript.append_stream(tk.REASONING, "thinking")
    transcript.append_stream(tk.TEXT, "answer")
    transcript.append_stream(tk.REASONING, " more")
    assert list(zip(transcript.kinds, transcript.texts, strict=True)) == [
        (tk.REASONING, "thinking"), (tk.TEXT, "answer"), (tk.REASONING, " more")]


def test_rows_wrap_at_spaces_and_follow_appends():
    transcript = Transcript()
    transcript.append_stream(tk.TEXT, "alpha beta gamma")
    assert rows(transcript, 11) == ["alpha beta ", "gamma"]
    transcript.append_stream(tk.TEXT, " delta\nnext")
    assert rows(transcript, 11) == ["alpha beta ", "gamma delta", "next"]
    assert rows(transcript, 100) == ["alpha beta gamma delta", "next"]


def test_hiding_reasoning_removes_its_rows_and_a_tool_call_is_one_row_until_expanded():
    transcript = Transcript()
    transcript.append_stream(tk.REASONING, "hidden thought")
    call = transcript.append_tool("⚙ search …", ["args " + "a" * 30])
    transcript.append_stream(tk.TEXT, "visible")
    transcript.show_reasoning = False
    assert rows(transcript, 20) == ["⚙ search …", "visible"]
    transcript.expand_tools = True
    assert rows(transcript, 20) == ["⚙ search …", "args ", "a" * 20, "a" * 10, "visible"]
    transcript.toggle_tool(call)  # one call collapsed while all others stay expanded
    assert rows(transcript, 20) == ["⚙ search …", "visible"]


def test_a_finished_tool_call_is_laid_out_again_in_place_and_later_rows_move_with_it():
    transcript = Transcript()
    first = transcript.append_tool("⚙ read …", ["arguments: {}"])
    second = transcript.append_tool("⚙ list …", ["arguments: {}"])
    transcript.append_stream(tk.TEXT, "after the calls")
    transcript.toggle_tool(first)
    assert rows(transcript, 30) == ["⚙ read …", "arguments: {}", "⚙ list …", "after the calls"]
    transcript.finish_tool(first, "⚙ read ✓ ok", ["arguments: {}", "result:", "line 1", "line 2"])
    assert transcript.first_dirty_row() == 0
    assert rows(transcript, 30) == [
        "⚙ read ✓ ok", "arguments: {}", "result:", "line 1", "line 2", "⚙ list …", "after the calls",
    ]
    assert transcript.row_of(second) == 5 and transcript.tool_line_at(3) == first
    assert transcript.tool_line_at(6) is None
    assert transcript.last_tool_line_in(0, 4) == first and transcript.last_tool_line_in(3, 6) == second
    assert transcript.last_tool_line_in(6, 6) is None
    assert [(h.line, h.start) for h in transcript.search("ok")] == [(first, 9)]


def test_wide_characters_wrap_by_cells():
    assert wrap_starts("你好世界你好", 5) == [0, 2, 4]
    assert wrap_starts("ab cd", 10) == [0]


def test_search_finds_case_insensitive_hits_including_text_streamed_later():
    transcript = Transcript()
    transcript.append_stream(tk.TEXT, "Vote for Alpha.\nalpha again, ALPH")
    assert [(h.line, h.start) for h in transcript.search("alpha")] == [(0, 9), (1, 0)]
    transcript.append_stream(tk.TEXT, "A wins")
    assert [(h.line, h.start) for h in transcript.refresh_search()] == [(0, 9), (1, 0), (1, 13)]
    transcript.layout(10)
    assert transcript.row_of(1, 13) == transcript.row_count - 1  # "ALPHA wins" is the last row
