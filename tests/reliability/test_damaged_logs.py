"""Replay and the session browser on hostile log lines: wrong field types, NaN, deep nesting, a future schema.

Such lines are skipped as damaged and named; one bad folder never makes the browser unusable, and
no duration or cost shows as a negative number or ``nan``.
"""

from __future__ import annotations

import json

from massgen_tui.app.replay_app import ReplayApp
from massgen_tui.app.replay_screen import ReplayScreen
from massgen_tui.app.session_browser import SessionBrowser, summary_row
from massgen_tui.events import types as ev
from massgen_tui.replay.catalog import list_sessions
from massgen_tui.replay.session import open_session
from tests.app.screen_text import screen_text
from tests.replay.logs import finished_session, write_log
from tests.replay.test_browser import rows, session

DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE = [
    '{"type": "text", "seq": "7", "ts": 1.0, "agent_id": "alpha", "text": "x"}',  # seq a string
    '{"type": "text", "seq": 7, "ts": "soon", "agent_id": "alpha", "text": "x"}',  # ts a string
    '{"type": "text", "seq": 7, "ts": NaN, "agent_id": "alpha", "text": "x"}',
    '{"type": "text", "seq": 7, "ts": Infinity, "agent_id": "alpha", "text": "x"}',
    '{"type": "text", "seq": 7, "ts": 1.0, "agent_id": "alpha", "text": ["not", "text"]}',
    '{"type": "answer", "seq": 7, "ts": 1.0, "agent_id": "alpha", "label": 3, "version": 1, "content": ""}',
    '{"type": "turn_started", "seq": 7, "ts": 1.0, "turn": 1, "question": "q", "labels": {"a": ["x"]}}',
    '{"type": "text", "seq": 7, "ts": 1.0, "agent_id": "alpha", "text": ' + DEEP + '}',
    DEEP,
]


def hostile_log(folder):
    write_log(folder, finished_session())
    events_file = folder / "events.jsonl"
    lines = events_file.read_text().splitlines(keepends=True)
    events_file.write_text("".join(lines[:6] + [line + "\n" for line in HOSTILE] + lines[6:]))
    return folder, list(range(7, 7 + len(HOSTILE)))


def test_replay_skips_and_names_each_damaged_line(tmp_path):
    folder, numbers = hostile_log(tmp_path / "s")
    replay = open_session(folder)
    replay.build()
    assert replay.index.damaged_lines == numbers
    assert replay.warnings() == [f"skipped {len(numbers)} damaged line(s): {', '.join(map(str, numbers))}"]
    assert len(replay) == len(finished_session())
    assert [e.seq for e in replay.events(0, len(replay))] == [e.seq for e in finished_session()]


async def test_the_browser_lists_a_hostile_folder_and_replays_it(tmp_path):
    root = tmp_path / "sessions"
    hostile_log(root / "hostile")
    write_log(root / "good", session("How do tides work?", 1_700_100_000.0))
    # a result.json of wrong types and NaN totals, and a session_ended whose time comes before the start
    bad = root / "nan-times"
    write_log(bad, session("Why is the sky blue?", 1_700_050_000.0))
    (bad / "result.json").write_text('{"started_at": NaN, "turns": "x", "agents": 3, "totals": {"cost": NaN}}')
    lines = (bad / "events.jsonl").read_text().splitlines()
    last = json.loads(lines[-1]) | {"ts": 1_700_046_141.0, "totals": {"input_tokens": "many", "cost": float("nan")}}
    (bad / "events.jsonl").write_text("\n".join(lines[:-1] + [json.dumps(last)]) + "\n")
    # a folder whose first line nests too deeply
    (root / "deep").mkdir()
    (root / "deep" / "events.jsonl").write_text(DEEP + "\n")

    summaries = {s.path.name: s for s in list_sessions(root)}
    assert {"hostile", "good", "nan-times"} <= set(summaries)
    cells = [cell for s in summaries.values() for cell in summary_row(s)]
    assert not any("nan" in cell or cell.startswith("-") or cell.startswith("$-") for cell in cells)
    assert summaries["nan-times"].duration is None and summaries["nan-times"].cost is None

    app = ReplayApp(log_root=root, settings_path=tmp_path / "settings.yaml", theme_dirs=())
    async with app.run_test(size=(160, 30)) as pilot:
        assert isinstance(app.screen, SessionBrowser)
        names = [r[1] for r in rows(app)]
        assert "How do tides work?" in names and "Why is the sky blue?" in names
        index = next(i for i, s in enumerate(app.screen.shown) if s.path.name == "hostile")
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ReplayScreen)
        assert "damaged line" in screen_text(app) or any(
            "damaged line" in n.message for n in app._notifications)
        await pilot.press("q")
        assert isinstance(app.screen, SessionBrowser)


def test_a_log_from_a_future_schema_opens_with_a_notice(tmp_path):
    events = finished_session()
    started = next(e for e in events if isinstance(e, ev.SessionStarted))
    started.schema = ev.SCHEMA_VERSION + 1
    folder = write_log(tmp_path / "s", events)
    extra = json.dumps({"type": "mind_meld", "seq": 999, "ts": 2.0}) + "\n"
    with (folder / "events.jsonl").open("a") as stream:
        stream.write(extra)
    replay = open_session(folder)
    replay.build()
    assert replay.warnings() == [
        f"written by a newer massgen-tui (log schema {ev.SCHEMA_VERSION + 1}; this version reads "
        f"{ev.SCHEMA_VERSION}): what it does not know is skipped",
        "skipped 1 event(s) of unknown type: mind_meld ×1",
    ]
