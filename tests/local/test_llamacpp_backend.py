"""The llamacpp backend: clear messages when it cannot run, one shared model, streaming and cancellation."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time

import pytest

from massgen_tui.backends import create_backend
from massgen_tui.backends.base import Done, Message, ProviderError, TextChunk, UsageReport
from massgen_tui.commands import main
from massgen_tui.config import load_config
from massgen_tui.config.local_engine import INSTALL_COMMAND
from massgen_tui.config.model import BackendConfig
from massgen_tui.errors import ConfigError
from tests.local.conftest import needs_local_extra

QUESTION = [Message("user", "Count from one to fifty in words.")]


def _local(**settings) -> BackendConfig:
    return BackendConfig(type="llamacpp", family="llamacpp", model="smol", structured_output=True, **settings)


@pytest.fixture
def without_llama_cpp(monkeypatch):
    """As if the extra were not installed: importing xllamacpp fails."""
    monkeypatch.setitem(sys.modules, "xllamacpp", None)
    monkeypatch.delitem(sys.modules, "massgen_tui.backends.llamacpp", raising=False)


def test_a_missing_extra_is_one_config_error_with_the_install_command(without_llama_cpp, tmp_path, capsys) -> None:
    config = tmp_path / "local.yaml"
    config.write_text("agents:\n" + "".join(f"  - {{id: a{i}, backend: {{type: llamacpp}}}}\n" for i in range(3)))
    assert main(["--no-display", "--config", str(config), "q"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [f"{config}:2:30: error: agents[0].backend.type: the llamacpp backend needs xllamacpp, "
                      f"which is not installed: {INSTALL_COMMAND}"]


def test_creating_the_backend_without_the_extra_names_the_install_command(without_llama_cpp) -> None:
    with pytest.raises(ImportError, match=r"pip install 'massgen-tui\[local\]'"):
        create_backend(_local())


def test_local_without_the_extra_says_what_to_install(without_llama_cpp, capsys) -> None:
    assert main(["--local", "--no-display", "q"]) == 2
    assert INSTALL_COMMAND in capsys.readouterr().err


@needs_local_extra
def test_a_missing_model_file_is_named_with_its_line(tmp_path) -> None:
    config = tmp_path / "local.yaml"
    config.write_text("agents:\n  - backend: {type: llamacpp, model_path: models/none.gguf}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config, env={})
    assert str(caught.value) == (f"{config}:2:43: error: agents[0].backend.model_path: model file not found: "
                                 f"{tmp_path / 'models' / 'none.gguf'}")


@needs_local_extra
def test_an_unreadable_model_file_is_named(tmp_path) -> None:
    model = tmp_path / "secret.gguf"
    model.write_bytes(b"GGUF")
    model.chmod(0)
    if os.access(model, os.R_OK):
        pytest.skip("this user (root) can read every file")
    with pytest.raises(Exception, match=f"model file is not readable: {model}"):
        create_backend(_local(model_path=str(model)))


@needs_local_extra
def test_a_file_that_is_not_gguf_is_named_with_its_line(tmp_path) -> None:
    (tmp_path / "notes.gguf").write_text("not a model")
    config = tmp_path / "local.yaml"
    config.write_text("agents:\n  - backend: {type: llamacpp, model_path: notes.gguf}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config, env={})
    assert str(caught.value) == (f"{config}:2:43: error: agents[0].backend.model_path: not a GGUF model file "
                                 f"(it does not start with 'GGUF'): {tmp_path / 'notes.gguf'}")


@needs_local_extra
def test_a_model_path_that_is_a_directory_is_named(tmp_path) -> None:
    (tmp_path / "models").mkdir()
    config = tmp_path / "local.yaml"
    config.write_text("agents:\n  - backend: {type: llamacpp, model_path: models}\n")
    with pytest.raises(ConfigError, match=f"model path is a directory, not a .gguf file: {tmp_path / 'models'}$"):
        load_config(config, env={})


@needs_local_extra
async def test_a_damaged_gguf_file_fails_its_agent_naming_the_file(tmp_path) -> None:
    model = tmp_path / "damaged.gguf"
    model.write_bytes(b"GGUF" + bytes(4096))
    backend = create_backend(_local(model_path=str(model)))
    with pytest.raises(ProviderError, match=f"could not load model {model}: llama.cpp refused it") as caught:
        async for _ in backend.stream(QUESTION, []):
            pass
    assert not caught.value.transient
    await backend.aclose()


def test_llamacpp_keys_elsewhere_are_flagged_and_llamacpp_needs_no_model_name(tmp_path) -> None:
    config = tmp_path / "mixed.yaml"
    config.write_text("agents:\n  - backend: {type: openai, model: gpt-5-mini, n_ctx: 512, api_key: k}\n"
                      "  - backend: {type: llamacpp, n_ctxx: 512}\n")
    from massgen_tui.config.document import parse
    from massgen_tui.config.validate import build_config

    built, issues = build_config(parse(config.read_text(), config), env={}, check_keys=False)
    messages = [issue.message for issue in issues]
    assert "ignored: 'n_ctx' is only used by the llamacpp backend" in messages
    assert "unknown key 'n_ctxx'; did you mean 'n_ctx'?" in messages
    assert built is not None and built.agents[1].backend.model == "SmolLM2-135M-Instruct"
    assert built.agents[1].backend.structured_output and built.agents[1].backend.max_tokens



@needs_local_extra
async def test_agents_share_one_loaded_model_and_stream_text_then_usage() -> None:
    first, second = create_backend(_local(max_tokens=12)), create_backend(_local(max_tokens=12))
    try:
        assert first.host is second.host and first.host.users == 2
        events = [event async for event in first.stream(QUESTION, [])]
        texts = [e.text for e in events if isinstance(e, TextChunk)]
        (usage,) = [e for e in events if isinstance(e, UsageReport)]
        assert texts and isinstance(events[-1], Done) and events[-1].message.content == "".join(texts)
        assert 0 < usage.output_tokens <= 12 and usage.input_tokens > 0
        assert first.host.slots == 2  # one slot per agent that joined before the first call
    finally:
        await first.aclose()
        await second.aclose()


@needs_local_extra
async def test_three_agents_on_one_model_generate_at_the_same_time() -> None:
    backends = [create_backend(_local(max_tokens=48)) for _ in range(3)]
    first_token: dict[int, float] = {}
    finished: dict[int, float] = {}

    async def run(index: int) -> None:
        async for event in backends[index].stream(QUESTION, []):
            if isinstance(event, TextChunk):
                first_token.setdefault(index, time.monotonic())
        finished[index] = time.monotonic()

    try:
        await asyncio.gather(*(run(i) for i in range(3)))
    finally:
        for backend in backends:
            await backend.aclose()
    # Each agent streamed its first token before any agent's reply was complete: no one waited its turn.
    assert max(first_token.values()) < min(finished.values())


def _workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("llamacpp-") and t.is_alive()]


@needs_local_extra
async def test_cancelling_a_stream_stops_generation_promptly() -> None:
    backend = create_backend(_local(max_tokens=400))
    streamed = asyncio.Event()

    async def consume() -> None:
        async for event in backend.stream(QUESTION, []):
            if isinstance(event, TextChunk):
                streamed.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(streamed.wait(), 30)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    started = time.monotonic()
    while _workers() and time.monotonic() - started < 2.0:
        await asyncio.sleep(0.01)
    assert not _workers(), "the generation went on after the stream was cancelled"
    await backend.aclose()


@needs_local_extra
async def test_a_prompt_longer_than_n_ctx_is_a_clear_error_not_a_hang() -> None:
    backend = create_backend(_local(n_ctx=64, max_tokens=8))
    long_prompt = [Message("user", "Please read this. " * 60)]
    started = time.monotonic()
    try:
        with pytest.raises(ProviderError, match=r"the prompt \(\d+ tokens\) does not fit the context of 64 tokens; "
                                                r"raise n_ctx in the backend config"):
            async for _ in backend.stream(long_prompt, []):
                pass
    finally:
        await backend.aclose()
    assert time.monotonic() - started < 10


@needs_local_extra
async def test_the_last_agent_to_leave_stops_the_engine() -> None:
    from massgen_tui.backends import llamacpp

    first, second = create_backend(_local(max_tokens=4)), create_backend(_local(max_tokens=4))
    host = first.host
    await first.aclose()
    assert host in llamacpp._hosts.values()
    await second.aclose()
    assert host not in llamacpp._hosts.values() and host._server is None
    with pytest.raises(ProviderError, match="closed"):
        async for _ in second.stream(QUESTION, []):
            pass
