"""Keep secrets out of everything written or shown: API keys, tokens, secret headers, env values, URLs.

:class:`Redactor` masks known secret values in a text; :class:`StreamRedactor` applies it to the
event stream as a whole, before any subscriber (log, screen, printer) sees an event: every string
is masked before it is encoded, and a key streamed across two chunks is masked whole (the end of
a chunk that could be the start of a secret is held until the next chunk of its stream shows how
it goes on).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from massgen_tui.config.model import SessionConfig
from massgen_tui.events import Event
from massgen_tui.events import types as ev

MASK = "***"
_SECRET_NAME = re.compile(r"(api[_-]?key|token|secret|password|passwd|authorization|credential)", re.I)
# Words that make a name secret when they stand alone in it: GITHUB_PAT, DB_PASS, OPENAI_KEY, X-Auth.
_SECRET_WORDS = frozenset({"key", "apikey", "pat", "pass", "auth", "sig", "signature", "cookie", "private"})
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
# Values that look like a credential whatever their name: provider and forge key formats, long random tokens.
_KNOWN_PREFIX = re.compile(r"(sk|pk|rk)[-_]|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|AKIA|ASIA|AIza|hf_|Bearer ")
_TOKEN_LIKE = re.compile(r"(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-+=.]{24,}")
_URL_SECRET = re.compile(r"([?&;](?:key|sig|signature|[^=&#\s]*(?:api[_-]?key|token|secret|password|auth)[^=&#\s]*)=)"
                         r"[^&#\s]+", re.I)
_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)[^/\s@]+@")
_MIN_SECRET_LENGTH = 6
_STREAMS = (ev.TextDelta, ev.ReasoningDelta, ev.FinalDelta)
_ENDS = (ev.TurnEnded, ev.SessionEnded)


def secret_name(name: str) -> bool:
    """Whether a key, variable or flag name says its value is a secret."""
    words = {word.lower() for word in _WORD_SPLIT.split(name) if word}
    return bool(_SECRET_NAME.search(name) or words & _SECRET_WORDS)


def secret_value(value: str) -> bool:
    """Whether a value looks like a credential whatever it is called."""
    return bool(_KNOWN_PREFIX.match(value) and len(value) >= 8 or _TOKEN_LIKE.fullmatch(value))


class Redactor:
    """Replaces every known secret value in a text with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so a secret containing another is masked whole.
        self._secrets = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True)
        self._chars = frozenset("".join(self._secrets))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._secrets)

    def partial_tail(self, text: str) -> int:
        """The length of the longest end of ``text`` that is the start of a secret (0 if none)."""
        if not text or text[-1] not in self._chars:
            return 0
        best = 0
        for secret in self._secrets:
            for length in range(min(len(secret) - 1, len(text)), best, -1):
                if text.endswith(secret[:length]):
                    best = length
                    break
        return best


class StreamRedactor:
    """The bus transform that redacts every event; returns the events to deliver (and number) now, in order.

    The end of a streamed chunk that could be the start of a secret is held back and put before
    the next chunk of the same stream (a chunk that was all held is not delivered). Any other event
    of that agent, or the end of the turn, first delivers what is held as a chunk of its own, masked
    if it is six characters or more of a secret's start.
    """

    def __init__(self, redactor: Redactor) -> None:
        self._redact = redactor
        self._held: dict[tuple[str, type], tuple[Any, str]] = {}  # stream -> (its last chunk, text held back)

    def __call__(self, event: Event) -> list[Event]:
        if not self._redact:
            return [event]
        if isinstance(event, _STREAMS):
            return self._stream(event)
        out = self._release(None if isinstance(event, _ENDS) else getattr(event, "agent_id", ""))
        out.append(event.with_texts(self._redact))
        return out

    def _stream(self, event: Any) -> list[Event]:
        key = (event.agent_id, type(event))
        _, held = self._held.pop(key, (None, ""))
        text = self._redact(held + event.text)
        keep = self._redact.partial_tail(text)
        event = replace(event, agent_id=self._redact(event.agent_id), text=text[:len(text) - keep])
        if keep:
            self._held[key] = (event, text[len(text) - keep:])
        return [event] if event.text else []

    def _release(self, agent_id: str | None) -> list[Event]:
        """Deliver what is held for ``agent_id``'s streams (every agent's with ``None``)."""
        out: list[Event] = []
        for key in [k for k in self._held if agent_id is None or k[0] == agent_id]:
            last, held = self._held.pop(key)
            out.append(replace(last, text=MASK if len(held) >= _MIN_SECRET_LENGTH else held))
        return out


def secrets_of(config: SessionConfig, env: Mapping[str, str] | None = None) -> list[str]:
    """Every secret value a session may know: resolved keys, keys in URLs, MCP headers, secret env values
    and tokens in args, and secret-named variables of the environment and the ``.env`` files."""
    found: list[str] = []
    for agent in config.agents:
        backend = agent.backend
        if backend.api_key:
            found.append(backend.api_key)
        found += _url_secrets(backend.base_url)
        for server in backend.mcp_servers:
            found += list(server.headers.values())
            found += _url_secrets(server.url)
            found += [v for k, v in server.env.items() if secret_name(k) or secret_value(v)]
            found += _arg_secrets(server.args)
    return found + environment_secrets(env)


def environment_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    """Values of secret-named variables: ``env``, by default the environment over the ``.env`` files."""
    if env is None:
        from massgen_tui.config.env import load_env

        env = load_env()
    return [v for k, v in env.items() if secret_name(k)]


def _url_secrets(url: str | None) -> list[str]:
    """Secret query values and the password of a URL."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = [value for name, value in parse_qsl(parts.query) if _URL_SECRET.match(f"?{name}=x")]
    return found + ([parts.password] if parts.password else [])


def _arg_secrets(args: list[str]) -> list[str]:
    """Values of secret-named flags (``--token=X``, ``--token X``) and args that look like credentials."""
    found = []
    for i, arg in enumerate(args):
        name, sep, value = arg.partition("=")
        if sep and name.startswith("-") and secret_name(name):
            found.append(value)
        elif arg.startswith("-") and secret_name(arg) and i + 1 < len(args):
            found.append(args[i + 1])
        elif secret_value(arg):
            found.append(arg)
    return found


def redact_document(raw: Any) -> Any:
    """A copy of a config document with secrets masked: values under secret-looking keys, headers, MCP
    ``env`` values that are named or look like secrets, tokens in ``args``, and keys in URLs.

    ``${VAR}`` references are kept: they name a variable, not its value.
    """
    if isinstance(raw, Mapping):
        out = {}
        for key, value in raw.items():
            name = key if isinstance(key, str) else ""
            if secret_name(name) or name.lower() == "headers":
                out[key] = _mask(value)
            elif name == "env" and isinstance(value, Mapping):
                out[key] = {k: _mask(v) if secret_name(str(k)) or isinstance(v, str) and secret_value(v)
                            else redact_document(v) for k, v in value.items()}
            elif name == "args" and isinstance(value, list) and all(isinstance(a, str) for a in value):
                secrets = set(_arg_secrets(value))
                out[key] = [_mask_arg(a, secrets) for a in value]
            else:
                out[key] = redact_document(value)
        return out
    if isinstance(raw, list):
        return [redact_document(v) for v in raw]
    if isinstance(raw, str) and "://" in raw:
        return _URL_PASSWORD.sub(rf"\1{MASK}@", _URL_SECRET.sub(rf"\1{MASK}", raw))
    return raw


def _mask_arg(arg: str, secrets: set[str]) -> str:
    if arg in secrets:
        return _mask_text(arg)
    name, sep, value = arg.partition("=")
    return f"{name}={_mask_text(value)}" if sep and value in secrets else arg


def _mask_text(value: str) -> str:
    """``value`` masked, unless it is a ``${VAR}`` reference (which names a secret, not holds one)."""
    return value if re.fullmatch(r"\$\{[^}]+\}", value.strip()) else MASK


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value
