"""One TLS context per process, shared by every SDK client.

Building a default TLS context (loading the trust store) costs about 30 ms, and each SDK
client builds its own unless given one: 32 agents paid a second of start-up for identical
contexts. This is httpx2's default context, built once; ``ssl.SSLContext`` is safe to share.
"""

from __future__ import annotations

import functools
import ssl


@functools.cache
def shared_tls_context() -> ssl.SSLContext:
    """httpx2's default verifying context (system/certifi trust, ``SSL_CERT_FILE`` honoured)."""
    import httpx2

    return httpx2.create_ssl_context()
