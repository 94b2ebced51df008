"""Plays one scripted Reply onto an HTTP exchange through a protocol encoder."""

from __future__ import annotations

import asyncio

from .connection import Exchange
from .script import CallTool, Delay, Drop, Malformed, Reasoning, Reply, Text
from .wire import Encoder


async def play(reply: Reply, encoder: Encoder, exchange: Exchange) -> None:
    """Stream the reply's steps, then the closing events (unless a Drop ends it first).

    Events are written in batches: everything between two pauses (Delay, chunk_delay) goes out in
    one write, which keeps the server cheap while the client still sees one event per chunk.
    """
    await exchange.start_stream("text/event-stream")
    pending = bytearray(encoder.start())

    async def flush() -> None:
        if pending:
            await exchange.write(bytes(pending))
            pending.clear()

    async def pace() -> None:
        if reply.chunk_delay:
            await flush()
            await asyncio.sleep(reply.chunk_delay)

    for step in reply.steps:
        if isinstance(step, Delay):
            await flush()
            await asyncio.sleep(step.seconds)
        elif isinstance(step, Drop):
            await flush()
            exchange.drop()
            return
        elif isinstance(step, Malformed):
            pending += encoder.malformed()
        elif isinstance(step, (Text, Reasoning)):
            emit = encoder.text if isinstance(step, Text) else encoder.reasoning
            for piece in step.pieces():
                await pace()
                pending += emit(piece)
        elif isinstance(step, CallTool):
            await pace()
            pending += encoder.tool_call(step)
    pending += encoder.finish(reply.calls_tool)
    await flush()
    await exchange.end()
