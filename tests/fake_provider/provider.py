"""FakeProvider: the scripted loopback server, run on its own event loop in a background thread."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from .connection import Exchange, HttpRequest, serve_connection
from .playback import play
from .request import FakeRequest, Protocol
from .routes import route
from .script import Reply
from .wire import ENCODERS

Responder = Callable[[FakeRequest], Reply]

_BASE_PATHS = {"openai": "/v1", "azure": "", "anthropic": "", "gemini": ""}


class FakeProvider:
    """A scripted HTTP server on 127.0.0.1 speaking the four provider streaming formats.

    Use as a context manager (or ``start()``/``stop()``); ``url`` is then the root URL. Replies
    come, per model, from the scripted queue first, then the model's responder, then the default
    responder; with none of them the request gets an HTTP 500 that names the model.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._lock = threading.Lock()
        self._scripts: dict[str, deque[Reply]] = {}
        self._responders: dict[str, Responder] = {}
        self._default: Responder | None = None
        self._requests: list[FakeRequest] = []
        self._serials = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeProvider:
        """Bind the port and start serving in a background thread (safe to call inside a running loop)."""
        if self._thread is not None:
            raise RuntimeError("FakeProvider is already running")
        sock = socket.create_server(self._address)
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(sock, ready), name=f"fake-provider-{port}", daemon=True)
        self._thread.start()
        ready.wait()
        return self

    def _run(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            server = loop.run_until_complete(asyncio.start_server(self._on_connection, sock=sock))
        finally:
            ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()
            for task in self._connections:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*self._connections, return_exceptions=True))
            loop.close()

    def stop(self) -> None:
        """Stop serving; open connections are closed, in-flight replies cut off."""
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = self._loop = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def base_url(self, provider: str) -> str:
        """The base URL to give a provider's SDK client: "openai", "azure", "anthropic" or "gemini"."""
        if not self.url:
            raise RuntimeError("FakeProvider is not running")
        return self.url + _BASE_PATHS[provider]

    # --- scripting -------------------------------------------------------------------------

    def script(self, model: str, *replies: Reply) -> None:
        """Queue replies for ``model``, consumed in order, one per request."""
        with self._lock:
            self._scripts.setdefault(model, deque()).extend(replies)

    def responder(self, model: str, fn: Responder) -> None:
        """Answer every request for ``model`` (once its script is used up) with ``fn(request)``."""
        with self._lock:
            self._responders[model] = fn

    def default(self, fn: Responder) -> None:
        """Answer requests for models without script or responder with ``fn(request)``."""
        with self._lock:
            self._default = fn

    @property
    def requests(self) -> list[FakeRequest]:
        """Every request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, model: str) -> list[FakeRequest]:
        return [request for request in self.requests if request.model == model]

    def _reply_for(self, request: FakeRequest) -> Reply | None:
        """The next scripted reply for the request's model, else its responder's or the default's."""
        with self._lock:
            queue = self._scripts.get(request.model)
            if queue:
                return queue.popleft()
            responder = self._responders.get(request.model, self._default)
        return responder(request) if responder else None

    # --- serving ---------------------------------------------------------------------------

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await serve_connection(reader, writer, self._handle)
        except asyncio.CancelledError:
            pass  # stop() cancels open connections; ending quietly keeps asyncio from logging it
        finally:
            self._connections.discard(task)

    async def _handle(self, http: HttpRequest, exchange: Exchange) -> None:
        found = route(http.path) if http.method == "POST" else None
        if found is None:
            body = json.dumps({"error": {"message": f"fake provider: no route for {http.method} {http.path}"}})
            await exchange.respond(404, body.encode(), {"content-type": "application/json"})
            return
        protocol: Protocol = found.protocol
        encoder_type = ENCODERS[protocol]

        async def fail(status: int, message: str, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(encoder_type.error_body(status, message)).encode()
            await exchange.respond(status, body, {"content-type": "application/json", **(headers or {})})

        try:
            body: Any = json.loads(http.body or b"null")
        except ValueError:
            await fail(400, "fake provider: request body is not JSON")
            return
        model = found.model or (body.get("model") if isinstance(body, dict) else None) or ""
        request = FakeRequest.parse(protocol, model, http.path, http.query, http.headers, body)
        with self._lock:
            self._requests.append(request)
            serial = next(self._serials)
        if not request.stream:
            await fail(400, "fake provider: only streaming requests are supported")
            return
        try:
            reply = self._reply_for(request)
        except Exception as exc:
            traceback.print_exc()
            await fail(500, f"fake provider: responder for model {model} raised {exc!r}")
            return
        if reply is None:
            await fail(500, f"fake provider: no scripted reply left for model {model}")
            return
        if reply.http_error is not None:
            error = reply.http_error
            await fail(error.status, error.message, dict(error.headers))
            return
        await play(reply, encoder_type(request, serial, reply.usage(request.prompt_tokens)), exchange)
