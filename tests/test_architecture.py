"""The architecture's rules, checked: the core loads without Textual, and lists kept in step agree."""

from __future__ import annotations

import dataclasses
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import get_args

import pytest

from massgen_tui.backends import _BACKENDS
from massgen_tui.config.model import Family
from massgen_tui.config.providers import PROVIDERS
from massgen_tui.events import types as ev

#: The packages that make up the core: they must never need Textual, the app or the editor.
CORE = ("config", "backends", "coordination", "events", "logs", "tools", "replay", "headless", "view", "eval")


def _core_modules() -> list[str]:
    names = []
    for package in CORE:
        module = __import__(f"massgen_tui.{package}", fromlist=["_"])
        names.append(module.__name__)
        names += [info.name for info in pkgutil.walk_packages(module.__path__, f"{module.__name__}.")]
    return names


_PROBE = ("import importlib, sys; importlib.import_module(sys.argv[1]); "
          "loaded = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'massgen_tui.app', "
          "'massgen_tui.editor'))]; print(' '.join(loaded))")


def _loaded_by(module: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, module], capture_output=True, text=True, timeout=120)
    return module, done.stdout.strip() if done.returncode == 0 else f"import failed: {done.stderr.strip()[-300:]}"


def test_every_core_module_imports_in_a_fresh_interpreter_without_textual_the_app_or_the_editor():
    modules = _core_modules()
    assert len(modules) > 40  # the walk found the core, not an empty list
    with ThreadPoolExecutor(max_workers=4) as pool:
        offenders = {module: loaded for module, loaded in pool.map(_loaded_by, modules) if loaded}
    assert offenders == {}


def test_the_backend_families_agree_across_config_backends_and_presets():
    families = set(get_args(Family))
    assert set(_BACKENDS) == families
    assert {preset.family for preset in PROVIDERS.values()} == families


def test_turn_statuses_are_one_list():
    assert set(ev.TURN_STATUSES) == {ev.TURN_COMPLETED, ev.TURN_TIMEOUT, ev.TURN_FAILED, ev.TURN_CANCELLED}


@pytest.mark.parametrize("name", sorted(ev.EVENT_TYPES))
def test_every_event_type_is_registered_once_under_its_own_name(name):
    cls = ev.EVENT_TYPES[name]
    assert cls.type == name
    assert list(ev.EVENT_TYPES.values()).count(cls) == 1


def test_every_event_class_is_registered():
    def subclasses(cls: type) -> set[type]:
        return {c for s in cls.__subclasses__() for c in {s} | subclasses(s)}

    # By name: dataclass(slots=True) builds a new class, and the class it replaced can linger in __subclasses__.
    defined = {c.__name__ for c in subclasses(ev.Event) if c.__module__ == ev.__name__}
    assert defined == {c.__name__ for c in ev.EVENT_TYPES.values()}


def _all_events() -> set[type]:
    return set(ev.EVENT_TYPES.values())


def test_the_view_handles_every_event_type():
    from massgen_tui.view import session_view

    assert set(session_view._HANDLERS) | set(session_view._STREAM_KINDS) == _all_events()
    assert set(session_view._STREAM_TYPES) == set(session_view._STREAM_KINDS)


def test_the_headless_printer_handles_or_explicitly_ignores_every_event_type():
    from massgen_tui.headless.printer import ProgressPrinter

    assert not set(ProgressPrinter._HANDLERS) & ProgressPrinter.IGNORED
    assert set(ProgressPrinter._HANDLERS) | ProgressPrinter.IGNORED == _all_events()


def test_the_replay_index_marks_or_explicitly_leaves_unmarked_every_event_type():
    from massgen_tui.replay.index import MARKED_TYPES, UNMARKED_TYPES

    assert not MARKED_TYPES & UNMARKED_TYPES
    assert MARKED_TYPES | UNMARKED_TYPES == _all_events()


def _example(cls: type) -> ev.Event:
    """An instance of ``cls`` with a plain value for every field."""
    values = {"str": "x", "int": 1, "float": 1.5, "bool": False}
    kwargs = {}
    for f in dataclasses.fields(cls):
        if (
            f.name in ("seq", "ts")
            or f.default is not dataclasses.MISSING
            or f.default_factory is not dataclasses.MISSING
        ):
            continue
        kind = str(f.type)
        kwargs[f.name] = next((v for k, v in values.items() if kind.startswith(k)), None)
        if kind.startswith(("dict", "Mapping")):
            kwargs[f.name] = {}
        elif kind.startswith(("list", "tuple", "Sequence")):
            kwargs[f.name] = []
        elif kind == "TurnStatus":
            kwargs[f.name] = ev.TURN_COMPLETED
    return cls(**kwargs)


def test_every_event_type_goes_through_the_log_writer_and_comes_back_in_replay(tmp_path):
    from massgen_tui.events import EventBus
    from massgen_tui.logs.writer import SessionLogWriter
    from massgen_tui.replay.session import open_session

    bus = EventBus()
    writer = SessionLogWriter(tmp_path)
    bus.subscribe(writer)
    kinds = [cls for cls in ev.EVENT_TYPES.values() if cls not in (ev.SessionStarted, ev.SessionEnded)]
    bus.publish(_example(ev.SessionStarted))
    for cls in kinds:
        bus.publish(_example(cls))
    bus.publish(_example(ev.SessionEnded))
    writer.close()
    session = open_session(tmp_path)
    session.build()
    replayed = session.events(0, len(session.index))
    # LogFailed reports a log that cannot be written: the writer never writes it into that log.
    assert [type(e) for e in replayed] == [ev.SessionStarted, *(k for k in kinds if k is not ev.LogFailed),
                                           ev.SessionEnded]
    assert session.warnings() == []
