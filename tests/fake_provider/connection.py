"""HTTP/1.1 over asyncio streams, with h11 doing the protocol work.

A plain asyncio server (rather than an ASGI stack) starts and stops instantly, adds no
per-chunk framework overhead, and can close a connection mid-stream on purpose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

import h11

_READ_SIZE = 65536


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class Exchange:
    """The response side of one request: a whole response, or a stream written piece by piece."""

    def __init__(self, conn: h11.Connection, writer: asyncio.StreamWriter) -> None:
        self._conn = conn
        self._writer = writer
        self.started = False

    async def _send(self, event: h11.Event) -> None:
        data = self._conn.send(event)
        if data:
            self._writer.write(data)
            await self._writer.drain()

    async def _start(self, status: int, headers: Mapping[str, str]) -> None:
        self.started = True
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        await self._send(h11.Response(status_code=status, headers=list(headers.items()), reason=reason))

    async def respond(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
        """Send a complete response."""
        await self._start(status, {**headers, "content-length": str(len(body))})
        await self._send(h11.Data(data=body))
        await self._send(h11.EndOfMessage())

    async def start_stream(self, content_type: str) -> None:
        """Start a chunked 200 response."""
        await self._start(200, {"content-type": content_type, "cache-control": "no-cache"})

    async def write(self, data: bytes) -> None:
        await self._send(h11.Data(data=data))

    async def end(self) -> None:
        await self._send(h11.EndOfMessage())

    def drop(self) -> None:
        """Close the connection after what was written so far, leaving the response unfinished."""
        self._writer.close()


Handler = Callable[[HttpRequest, Exchange], Awaitable[None]]


async def _read_request(conn: h11.Connection, reader: asyncio.StreamReader) -> HttpRequest | None:
    """The next whole request on the connection, or None when the client closed it."""
    head: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(_READ_SIZE))
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage) and head is not None:
            target = urlsplit(head.target.decode())
            return HttpRequest(
                method=head.method.decode(),
                path=target.path,
                query=dict(parse_qsl(target.query)),
                headers={name.decode().lower(): value.decode() for name, value in head.headers},
                body=bytes(body),
            )
        elif isinstance(event, h11.ConnectionClosed):
            return None


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler) -> None:
    """Answer requests on one keep-alive connection until either side closes it."""
    conn = h11.Connection(h11.SERVER)
    try:
        while (request := await _read_request(conn, reader)) is not None:
            exchange = Exchange(conn, writer)
            await handler(request, exchange)
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                break  # dropped, or the client asked to close
            conn.start_next_cycle()
    except (ConnectionError, h11.ProtocolError):
        pass
    finally:
        writer.close()
