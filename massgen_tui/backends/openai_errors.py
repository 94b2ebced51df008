"""Translating OpenAI SDK failures into :class:`ProviderError` with the provider's own words.

Shared by the Chat Completions, Azure and Responses backends. OpenAI-compatible
servers word their error bodies differently (``{"error": {"message"}}``,
``{"error": "..."}``, ``{"detail": "..."}``, plain text); the message shown to the
user is whatever the server said, never a Python repr.

A refusal of a request parameter is permanent whatever its status: local servers answer an
unsupported ``response_format`` or ``tools`` with HTTP 500, which would otherwise be retried.
"""

from __future__ import annotations

import json
import re
import socket
from typing import SupportsIndex, SupportsInt

import httpx2
import openai

from . import provider_errors
from .base import ProviderError, is_transient_status
from .retry import retry_after_seconds

#: Error codes (in stream error events and failed responses) worth retrying.
TRANSIENT_CODES = frozenset({"server_error", "rate_limit_exceeded", "vector_store_timeout", "overloaded"})
#: How servers word the refusal of a parameter ("unsupported", "Unrecognized request argument",
#: "must be one of", pydantic's "Input should be", llama.cpp's "requires --jinja", ...).
_REFUSAL = re.compile(
    r"support|invalid|unrecogni[sz]ed|unknown|unexpected|not allowed|not permitted|must be|should be"
    r"|requires?\b|extra", re.IGNORECASE)
#: Request keys never named as the refused parameter: the request itself, or common words.
_NOT_PARAMETERS = frozenset({"model", "messages", "stream", "input", "instructions", "text"})
#: Statuses that say nothing about the request's parameters.
_NOT_REFUSALS = frozenset({401, 403, 404, 408, 409, 429})
TOOLS_HINT = "if the model does not support tool calling, set structured_output: true in its backend"


def provider_error(exc: Exception, *, url: str = "") -> ProviderError:
    """The :class:`ProviderError` for an exception raised while calling or reading a stream.

    ``url`` (the client's base URL) is named in connection errors.
    """
    if isinstance(exc, openai.APIStatusError):
        message = _body_message(exc.body) or exc.message
        parameter = refused_parameter(exc)
        if parameter is not None:
            return ProviderError(refusal_message(parameter, message), status=exc.status_code)
        return ProviderError(
            message,
            status=exc.status_code,
            transient=is_transient_status(exc.status_code),
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, openai.APITimeoutError):
        return provider_errors.timed_out()
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(_connection_message(exc, url.rstrip("/")), transient=True)
    if isinstance(exc, openai.APIError):
        # An error object inside an otherwise successful stream.
        return stream_error(exc.message, exc.code)
    if isinstance(exc, json.JSONDecodeError):
        return provider_errors.malformed_stream(exc.doc)
    return provider_errors.unexpected(exc)


def refused_parameter(exc: openai.APIStatusError) -> str | None:
    """The request parameter an error refuses (its message names it and says it is unsupported or invalid).

    ``json_schema`` in the message stands for ``response_format``.
    """
    if exc.status_code < 400 or exc.status_code in _NOT_REFUSALS:
        return None
    message = f"{_body_message(exc.body)} {exc.message}"
    if not _REFUSAL.search(message):
        return None
    sent = _sent_keys(exc.request)
    for key in sent:
        if key not in _NOT_PARAMETERS and re.search(rf"\b{re.escape(key)}\b", message):
            return key
    if "response_format" in sent and re.search(r"\bjson_schema\b", message):
        return "response_format"
    return None


def refusal_message(parameter: str, message: str) -> str:
    """What the user reads when the server refuses ``parameter``."""
    text = f"the server does not accept the request parameter {parameter}: {message}"
    return f"{text}; {TOOLS_HINT}" if parameter == "tools" else text


def stream_error(message: str, code: object) -> ProviderError:
    """An error reported inside a stream; transient unless its code names a permanent problem."""
    status = _int_or_none(code)
    if status is not None:
        return ProviderError(message, status=status, transient=is_transient_status(status))
    return ProviderError(message, transient=code is None or str(code) in TRANSIENT_CODES)


def _sent_keys(request: httpx2.Request) -> list[str]:
    """The top-level keys of the JSON body that was sent, in order."""
    try:
        body = json.loads(request.content)
    except (httpx2.RequestNotRead, ValueError):
        return []
    return list(body) if isinstance(body, dict) else []


def _connection_message(exc: openai.APIConnectionError, url: str) -> str:
    """``cannot connect to URL: why`` when no connection was made, else ``connection to URL lost: why``."""
    chain = _causes(exc)
    where = url or str(exc.request.url)
    if not any(isinstance(e, (httpx2.ConnectError, httpx2.ConnectTimeout)) for e in chain):
        detail = next((str(e) for e in chain[1:] if str(e)), "")
        return f"connection to {where} lost: {detail}" if detail else f"connection to {where} lost"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        why = "connection refused"
    elif any(isinstance(e, socket.gaierror) for e in chain):
        why = "unknown host"
    else:
        why = next((str(e) for e in chain[1:] if str(e)), "connection failed")
    return f"cannot connect to {where}: {why}"


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _body_message(body: object) -> str:
    if isinstance(body, str):
        return body.strip()
    if isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            nested = value.get("message") if isinstance(value, dict) else None
            if isinstance(nested, str):
                return nested
    return ""


def _int_or_none(value: object) -> int | None:
    if not isinstance(value, (str, bytes, bytearray, SupportsInt, SupportsIndex)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
