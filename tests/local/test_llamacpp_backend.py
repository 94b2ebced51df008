"""The llamacpp backend: clear messages when it cannot run, one shared model, streaming and cancellation."""

from __future__ import annotations

import asyncio
import os
import sys
import time

import pytest

from massgen_tui.backends import create_backend
from massgen_tui.backends.base import Done, Message, TextChunk, UsageReport
from massgen_tui.backends.local_model import INSTALL_COMMAND
from massgen_tui.cli import main
from massgen_tui.config import load_config
from massgen_tui.config.model import BackendConfig
from massgen_tui.errors import ConfigError
from tests.local.conftest import needs_local_extra

QUESTION = [Message("user", "Count from one to fifty in words.")]


def _local(**settings) -> BackendConfig:
    return BackendConfig(type="llamacpp", family="llamacpp", model="smol", structured_output=True, **settings)


@pytest.fixture
def without_llama_cpp(monkeypatch):
    """As if the extra were not installed: importing llama_cpp fails."""
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    monkeypatch.delitem(sys.modules, "massgen_tui.backends.llamacpp", raising=False)


def test_a_missing_extra_is_one_config_error_with_the_install_command(without_llama_cpp, tmp_path, capsys) -> None:
    config = tmp_path / "local.yaml"
    config.write_text("agents:\n" + "".join(f"  - {{id: a{i}, backend: {{type: llamacpp}}}}\n" for i in range(3)))
    assert main(["--no-display", "--config", str(config), "q"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors == [f"{config}:2:30: error: agents[0].backend.type: the llamacpp backend needs llama-cpp-python, "
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
def test_a_file_that_is_not_a_model_fails_naming_it(tmp_path) -> None:
    model = tmp_path / "notes.gguf"
    model.write_text("not a model")
    with pytest.raises(Exception, match=f"could not load model {model}"):
        create_backend(_local(model_path=str(model)))


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
    assert first._model is second._model
    events = [event async for event in first.stream(QUESTION, [])]
    texts = [e.text for e in events if isinstance(e, TextChunk)]
    (usage,) = [e for e in events if isinstance(e, UsageReport)]
    assert texts and isinstance(events[-1], Done) and events[-1].message.content == "".join(texts)
    assert usage.output_tokens == len(texts) and usage.input_tokens > 0


@needs_local_extra
async def test_cancelling_a_stream_frees_the_model_promptly() -> None:
    backend = create_backend(_local(max_tokens=400))

    async def consume() -> None:
        async for _ in backend.stream(QUESTION, []):
            pass

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    started = time.monotonic()
    assert await asyncio.to_thread(backend._model.lock.acquire, timeout=2.0)  # the worker let go
    backend._model.lock.release()
    assert time.monotonic() - started < 1.0
