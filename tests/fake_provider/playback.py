"""Plays one scripted Reply onto an HTTP exchange through a protocol encoder."""

from __future__ import annotations

import asyncio

from .connection import Exchange
from .script import CallTool, Delay, Drop, Hold, Malformed, Reasoning, Reply, Text
from .wire import Encoder


async def play(reply: Reply, encoder: Encoder, exchange: Exchange) -> None:
    """Stream the reply's steps, then the closing events (unless a Drop ends it first).

    Events are written in batches: everything between two pauses (Delay, chunk_delay) goes out in
    one write, which keeps the server cheap while the client still sees one event per chunk.
    ``chunk_delay`` keeps to a schedule (chunk n is due n delays after the first) rather than
    sleeping a fixed time, so a busy server does not stretch the reply.
    """
    await exchange.start_stream("text/event-stream")
    pending = bytearray(encoder.start())
    loop = asyncio.get_running_loop()
    due = loop.time()

    async def flush() -> None:
        if pending:
            await exchange.write(bytes(pending))
            pending.clear()

    async def pace() -> None:
        nonlocal due
        if reply.chunk_delay:
            await flush()
            due += reply.chunk_delay
            if due > loop.time():
                await asyncio.sleep(due - loop.time())

    for step in reply.steps:
        if isinstance(step, Delay):
            await flush()
            await asyncio.sleep(step.seconds)
            due = loop.time()
        elif isinstance(step, Hold):
            await flush()
            await asyncio.to_thread(step.gate.wait, step.timeout)
            due = loop.time()
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
