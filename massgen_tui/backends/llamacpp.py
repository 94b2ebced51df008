"""A GGUF model run in-process through xllamacpp, llama.cpp's own server engine (the ``[local]`` extra).

Each model file is loaded once per process and shared by every agent that names it
(:class:`ModelHost`). The engine is llama.cpp's server: continuous batching over one slot per
agent, so agents sharing a model generate at the same time, each in its own context of
``n_ctx`` tokens. The engine starts on the first call, when every agent of the session has
joined, so it knows how many slots to make; an agent joining later still runs (its request waits
for a free slot).

A call runs in a worker thread (the engine's call blocks until the reply is complete); its
chunks reach the event loop through ``call_soon_threadsafe`` into an :class:`asyncio.Queue`, so
the loop never waits on the model. Cancelling the stream sets a flag the engine's chunk callback
returns, which stops generation at the next token.

The model has no tool calling: the coordinator asks it for structured JSON decisions, which
llama.cpp enforces by grammar-constrained decoding (``response_format`` with a JSON schema).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config.local_engine import missing_extra_message, resolve_model_path
from ..config.model import BackendConfig
from .base import Backend, Done, Message, ProviderError, StreamEvent, TextChunk, ToolSpec, UsageReport

try:
    import xllamacpp
except ImportError as exc:  # the [local] extra is not installed
    raise ImportError(missing_extra_message()) from exc

#: Context size of each agent when the config sets no ``n_ctx``.
DEFAULT_N_CTX = 2048
#: llama.cpp's log level for the engine: -1 keeps it silent (its logs would draw over the screen).
_SILENT = -1

HostKey = tuple[Path, int, int | None]


@dataclass(slots=True, eq=False)
class ModelHost:
    """One model file in one engine, shared by the agents (backends) that joined it."""

    path: Path
    n_ctx: int
    n_threads: int | None
    users: int = 0
    slots: int = 0
    _server: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def server(self) -> Any:
        """The running engine, started on first use with one slot per agent (blocking: call in a thread)."""
        with self._lock:
            if self._server is None:
                self._server = self._start()
            return self._server

    def _start(self) -> Any:
        slots = max(self.users, 1)
        threads = self.n_threads or os.cpu_count() or 1
        params = xllamacpp.CommonParams()
        params.model.path = str(self.path)
        params.n_parallel = slots
        params.n_ctx = self.n_ctx * slots  # split evenly: each slot gets n_ctx
        params.kv_unified = False
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = _SILENT
        params.warmup = False
        # The engine also listens on a loopback port; a random key keeps other local users out.
        params.api_keys = [secrets.token_urlsafe(24)]
        params.n_threads_http = 1
        params.ui = False
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise ProviderError(f"could not load model {self.path}: llama.cpp refused it ({exc})") from exc
        self.slots = slots
        return server

    def leave(self) -> None:
        """One agent is done with the model; the last one to leave stops the engine."""
        with self._lock:
            self.users -= 1
            if self.users > 0:
                return
            _hosts.pop((self.path, self.n_ctx, self.n_threads), None)
            self._server = None  # the engine stops when its last reference goes


_hosts: dict[HostKey, ModelHost] = {}
_hosts_lock = threading.Lock()


def join_host(path: Path, n_ctx: int, n_threads: int | None) -> ModelHost:
    """The shared host of ``(path, n_ctx, n_threads)``, counting one more agent on it."""
    key = (path, n_ctx, n_threads)
    with _hosts_lock:
        host = _hosts.get(key)
        if host is None:
            host = _hosts[key] = ModelHost(path=path, n_ctx=n_ctx, n_threads=n_threads)
        host.users += 1
        return host


class LlamaCppBackend(Backend):
    """Streams chat completions from a local GGUF model; ``tools`` are not supported and ignored."""

    family = "llamacpp"

    def __init__(self, config: BackendConfig) -> None:
        super().__init__(config)
        path = resolve_model_path(config.model_path)
        self._host: ModelHost | None = join_host(path, config.n_ctx or DEFAULT_N_CTX, config.n_threads)

    @property
    def host(self) -> ModelHost:
        """The shared model this backend generates with."""
        if self._host is None:
            raise ProviderError("the llamacpp backend was closed", transient=False)
        return self._host

    async def stream(
        self, messages: list[Message], tools: list[ToolSpec], *, output_schema: dict[str, Any] | None = None
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one completion from the worker thread: text, then usage and Done."""
        host = self.host
        server = await asyncio.to_thread(host.server)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def hand_over(kind: str, value: Any) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

        worker = threading.Thread(
            target=_generate, args=(server, host, self._request(messages, output_schema), stop, hand_over),
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
        request: dict[str, Any] = {
            "messages": [_wire_message(m) for m in messages], "stream": True,
            "stream_options": {"include_usage": True},
        }
        if self.config.temperature is not None:
            request["temperature"] = self.config.temperature
        if self.config.top_p is not None:
            request["top_p"] = self.config.top_p
        if self.config.max_tokens is not None:
            request["max_tokens"] = self.config.max_tokens
        if output_schema is not None:
            request["response_format"] = {"type": "json_schema", "json_schema": {"name": "decision",
                                                                                "schema": output_schema}}
        return request

    async def aclose(self) -> None:
        """Leave the shared model (the last agent to leave stops its engine)."""
        if self._host is not None:
            host, self._host = self._host, None
            host.leave()


def _generate(
    server: Any, host: ModelHost, request: dict[str, Any], stop: threading.Event,
    hand_over: Callable[[str, Any], None],
) -> None:
    """Worker thread: run one call, hand every piece over; stop at the next token when told."""
    state: dict[str, Any] = {"usage": None, "stop_reason": "", "error": None, "tokens": 0}

    def on_chunk(chunk: dict[str, Any]) -> bool:
        if "error" in chunk:
            state["error"] = chunk["error"]
            return True
        for choice in chunk.get("choices") or ():
            content = (choice.get("delta") or {}).get("content")
            if content:
                state["tokens"] += 1
                hand_over("text", content)
            state["stop_reason"] = choice.get("finish_reason") or state["stop_reason"]
        if chunk.get("usage"):
            state["usage"] = chunk["usage"]
        return stop.is_set()

    try:
        server.handle_chat_completions(request, on_chunk)
    except Exception as exc:  # the engine rejects a malformed request with an exception
        hand_over("error", ProviderError(f"{host.path.name}: {exc}", transient=False))
        return
    if stop.is_set():
        return
    if state["error"] is not None:
        hand_over("error", _engine_error(host, state["error"]))
        return
    usage = state["usage"] or {}
    hand_over("done", (UsageReport(input_tokens=int(usage.get("prompt_tokens", 0)),
                                   output_tokens=int(usage.get("completion_tokens", state["tokens"]))),
                       state["stop_reason"]))


def _engine_error(host: ModelHost, error: dict[str, Any]) -> ProviderError:
    """The engine's error chunk as one clear message (a prompt too long for ``n_ctx`` says so)."""
    if error.get("type") == "exceed_context_size_error":
        return ProviderError(
            f"{host.path.name}: the prompt ({error.get('n_prompt_tokens', '?')} tokens) does not fit the "
            f"context of {host.n_ctx} tokens; raise n_ctx in the backend config", transient=False,
        )
    return ProviderError(f"{host.path.name}: {error.get('message', error)}", status=error.get("code"),
                         transient=False)


def _wire_message(message: Message) -> dict[str, str]:
    """A message as a chat template takes it: tool results become user text."""
    if message.role == "tool":
        return {"role": "user", "content": f"Result of {message.name or 'the tool'}: {message.content}"}
    return {"role": message.role, "content": message.content}
