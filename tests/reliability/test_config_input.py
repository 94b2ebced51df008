"""Config input is bounded: an anchor bomb, a device, a FIFO and a huge file each give one clear error, fast."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from massgen_tui.config.document import MAX_CONFIG_BYTES, MAX_EXPANDED_NODES, parse
from massgen_tui.config.loader import load_config
from massgen_tui.editor import ConfigEditorScreen
from massgen_tui.errors import ConfigError
from tests.editor.pilot import SIZE, editor, editor_app

#: 9 levels of 9 aliases: 9**10 values once expanded, in 441 bytes.
BOMB = "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                 + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]) + "\n"


def only_error(path: str | Path) -> str:
    started = time.perf_counter()
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert time.perf_counter() - started < 1.0
    (issue,) = caught.value.issues
    assert issue.file == Path(path)
    return issue.message


def test_an_anchor_bomb_is_one_error_naming_the_file_and_line_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    assert len(BOMB) < 1024
    assert only_error(path) == (f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values (an alias bomb?); "
                                "write the values out or use fewer aliases")


def test_a_few_aliases_still_work(tmp_path):
    text = (
        "defaults: &d {type: openai, model: gpt-5-mini}\nagents:\n  - {id: a, backend: *d}\n  - {id: b, backend: *d}\n"
    )
    assert parse(text).data["agents"][1]["backend"]["model"] == "gpt-5-mini"


def test_devices_fifos_and_folders_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "team.yaml"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    assert only_error(fifo) == "cannot read the file: it is a FIFO (named pipe), not a regular file"
    assert only_error("/dev/zero") == "cannot read the file: it is a device, not a regular file"
    assert only_error(tmp_path) == "cannot read the file: it is a folder, not a regular file"


def test_a_file_over_the_size_limit_is_refused_fast(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("w") as stream:
        line = "k: " + "v" * 60 + "\n"
        stream.write(line * (64 * 1024 * 1024 // len(line)))  # 64 MB
    assert (
        only_error(path) == f"cannot read the file: it is 64.0 MB; configs are limited to {MAX_CONFIG_BYTES >> 20} MB"
    )


async def test_the_editor_shows_the_bomb_as_a_problem_and_still_obeys_esc(tmp_path, keys):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    app = editor_app(path, keys)
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = editor(pilot)
        assert screen.document is None and "alias bomb" in screen.document_problem
        assert any("alias bomb" in issue.message for issue in screen.issues)
        await pilot.press("escape")
        await pilot.pause()
    assert not app.is_running and time.perf_counter() - started < 10


async def test_the_editor_refuses_a_fifo_with_a_message_and_opens_a_new_team(tmp_path, keys):
    fifo = tmp_path / "team.yaml"
    os.mkfifo(fifo)
    app = editor_app(fifo, keys)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfigEditorScreen) and app.screen.path is None
        assert [n.message for n in app._notifications] == [
            f"cannot read {fifo}: it is a FIFO (named pipe), not a regular file"]
