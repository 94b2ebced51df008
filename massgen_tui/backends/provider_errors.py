"""The provider errors every backend reports in the same words: one constructor per kind of failure."""

from __future__ import annotations

from .base import ProviderError


def timed_out() -> ProviderError:
    """The provider did not answer in time (retried)."""
    return ProviderError("the request timed out", transient=True)


def cannot_connect(detail: object = None) -> ProviderError:
    """No connection could be made (retried)."""
    text = str(detail) if detail is not None else ""
    return ProviderError(f"connection error: {text}" if text else "connection error", transient=True)


def connection_dropped(exc: BaseException) -> ProviderError:
    """The connection broke while the reply streamed (retried)."""
    return ProviderError(f"the connection dropped mid-stream: {str(exc) or type(exc).__name__}", transient=True)


def malformed_stream(data: object) -> ProviderError:
    """The server sent stream data that does not parse (retried); ``data`` is shown cut to 200 characters."""
    shown = repr(data[:200]) if isinstance(data, str) else str(data)[:200]
    return ProviderError(f"the server sent malformed stream data: {shown}", transient=True)


def stream_ended_early(what: str) -> ProviderError:
    """The stream stopped before ``what`` (the message, the response) was complete (retried)."""
    return ProviderError(f"the stream ended before the {what} was complete", transient=True)


def unexpected(exc: BaseException) -> ProviderError:
    """Any other failure, by its own message (not retried)."""
    return ProviderError(str(exc) or type(exc).__name__)
