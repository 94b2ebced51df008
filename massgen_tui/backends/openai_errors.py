"""Translating OpenAI SDK failures into :class:`ProviderError` with the provider's own words.

Shared by the Chat Completions, Azure and Responses backends. OpenAI-compatible
servers word their error bodies differently (``{"error": {"message"}}``,
``{"error": "..."}``, ``{"detail": "..."}``, plain text); the message shown to the
user is whatever the server said, never a Python repr.
"""

from __future__ import annotations

import json

import openai

from .base import ProviderError, is_transient_status
from .retry import retry_after_seconds

#: Error codes (in stream error events and failed responses) worth retrying.
TRANSIENT_CODES = frozenset({"server_error", "rate_limit_exceeded", "vector_store_timeout", "overloaded"})


def provider_error(exc: Exception) -> ProviderError:
    """The :class:`ProviderError` for an exception raised while calling or reading a stream."""
    if isinstance(exc, openai.APIStatusError):
        return ProviderError(
            _body_message(exc.body) or exc.message,
            status=exc.status_code,
            transient=is_transient_status(exc.status_code),
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError("the request timed out", transient=True)
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        detail = f": {cause}" if cause and str(cause) else ""
        return ProviderError(f"connection error{detail}", transient=True)
    if isinstance(exc, openai.APIError):
        # An error object inside an otherwise successful stream.
        return stream_error(exc.message, exc.code)
    if isinstance(exc, json.JSONDecodeError):
        return ProviderError(f"the server sent malformed stream data: {exc.doc[:200]!r}", transient=True)
    return ProviderError(str(exc) or type(exc).__name__)


def stream_error(message: str, code: object) -> ProviderError:
    """An error reported inside a stream; transient unless its code names a permanent problem."""
    status = _int_or_none(code)
    if status is not None:
        return ProviderError(message, status=status, transient=is_transient_status(status))
    return ProviderError(message, transient=code is None or str(code) in TRANSIENT_CODES)


def _body_message(body: object) -> str:
    if isinstance(body, str):
        return body.strip()
    if isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"]
    return ""


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
