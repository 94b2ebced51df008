"""A GGUF model run in-process through llama-cpp-python (the ``[local]`` extra).

Each model file is loaded once per process and shared by every agent that names it: loading
costs a fraction of a second, but each copy holds its own context memory. One ``Llama`` object
has one context (one KV cache), so it generates for one agent at a time: calls on the same
model take turns under a lock, whole calls at a time (interleaving tokens would re-evaluate each
agent's prompt for every switch). On a small CPU machine parallel copies would only share the
same cores anyway.

Generation runs in a worker thread; its chunks reach the event loop through
``call_soon_threadsafe`` into an :class:`asyncio.Queue`, so the loop never waits on the model.
Cancelling the stream sets a flag the worker checks between tokens (and while it waits for the
lock), so a cancelled call stops within one token.

The model has no tool calling: the coordinator asks it for structured JSON decisions, which
llama.cpp enforces by grammar-constrained decoding (``response_format`` with a JSON schema).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.model import BackendConfig
from .base import Backend, Done, Message, ProviderError, StreamEvent, TextChunk, ToolSpec, UsageReport
from .local_model import LocalModelError, missing_extra_message, resolve_model_path

try:
    import llama_cpp
except ImportError as exc:  # the [local] extra is not installed
    raise ImportError(missing_extra_message()) from exc

#: Context size when the config sets no ``n_ctx``.
DEFAULT_N_CTX = 2048
#: How often (seconds) a worker waiting for the model's lock checks whether it was cancelled.
_LOCK_POLL = 0.05


@dataclass(slots=True, eq=False)
class LoadedModel:
    """One ``Llama`` instance and the lock that gives it to one generation at a time."""

    llama: Any
    path: Path
    lock: threading.Lock = field(default_factory=threading.Lock)


_models: dict[tuple[Path, int, int | None], LoadedModel] = {}
_models_lock = threading.Lock()


def load_model(path: Path, n_ctx: int, n_threads: int | None) -> LoadedModel:
    """The loaded model for ``(path, n_ctx, n_threads)``, loading it on first use (thread-safe)."""
    key = (path, n_ctx, n_threads)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            try:
                llama = llama_cpp.Llama(model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, verbose=False)
            except (ValueError, RuntimeError, OSError) as exc:
                raise LocalModelError(f"could not load model {path}: {exc}") from exc
            model = _models[key] = LoadedModel(llama=llama, path=path)
        return model


class LlamaCppBackend(Backend):
    """Streams chat completions from a local GGUF model; ``tools`` are not supported and ignored."""

    family = "llamacpp"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        path = resolve_model_path(config.model_path)
        self._model = load_model(path, config.n_ctx or DEFAULT_N_CTX, config.n_threads)

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncIterator[StreamEvent]:
        """Stream one completion from the worker thread: text, then usage and Done."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def hand_over(kind: str, value: Any) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

        worker = threading.Thread(
            target=self._generate, args=(self._request(messages, output_schema), stop, hand_over),
            name=f"llamacpp-{self.model}", daemon=True,
        )
        worker.start()
        text: list[str] = []
        try:
            while True:
                kind, value = await queue.get()
                if kind == "text":
                    text.append(value)
                    yield TextChunk(value)
                elif kind == "error":
                    raise value
                else:
                    usage, stop_reason = value
                    yield usage
                    yield Done(message=Message(role="assistant", content="".join(text)), stop_reason=stop_reason)
                    return
        finally:
            stop.set()

    def _request(self, messages: list[Message], output_schema: dict[str, Any] | None) -> dict[str, Any]:
        request: dict[str, Any] = {"messages": [_wire_message(m) for m in messages], "stream": True}
        if self.config.temperature is not None:
            request["temperature"] = self.config.temperature
        if self.config.max_tokens is not None:
            request["max_tokens"] = self.config.max_tokens
        if output_schema is not None:
            request["response_format"] = {"type": "json_object", "schema": output_schema}
        return request

    def _generate(self, request: dict[str, Any], stop: threading.Event, hand_over: Any) -> None:
        """Worker thread: wait for the model, generate, hand every piece over; stop when told."""
        model = self._model
        while not model.lock.acquire(timeout=_LOCK_POLL):
            if stop.is_set():
                return
        try:
            if stop.is_set():
                return
            output_tokens, stop_reason = 0, ""
            chunks: Iterator[dict[str, Any]] = model.llama.create_chat_completion(**request)
            try:
                for chunk in chunks:
                    if stop.is_set():
                        return
                    choice = chunk["choices"][0]
                    content = choice.get("delta", {}).get("content")
                    if content:
                        output_tokens += 1
                        hand_over("text", content)
                    stop_reason = choice.get("finish_reason") or stop_reason
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            input_tokens = max(model.llama.n_tokens - output_tokens, 0)
            hand_over("done", (UsageReport(input_tokens=input_tokens, output_tokens=output_tokens), stop_reason))
        except Exception as exc:  # llama.cpp reports a full context as ValueError
            hand_over("error", ProviderError(f"{model.path.name}: {exc}", transient=False))
        finally:
            model.lock.release()


def _wire_message(message: Message) -> dict[str, str]:
    """A message as a chat template takes it: tool results become user text."""
    if message.role == "tool":
        return {"role": "user", "content": f"Result of {message.name or 'the tool'}: {message.content}"}
    return {"role": message.role, "content": message.content}
