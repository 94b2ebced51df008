"""What a panel shows of a JSON-decision reply while it streams: the answer's text, not the JSON.

A model that decides in JSON (see :mod:`massgen_tui.coordination.structured`) streams
``{"decision": {"action": "new_answer", "content": "..."}}`` or a vote object. A
:class:`JsonDecisionStream` reads the reply chunk by chunk, in time proportional to the chunk,
and returns the characters of the ``decision.content`` string, decoded as they arrive (escapes,
``\\uXXXX`` and surrogate pairs may be split across chunks); everything else stays hidden.

As soon as the text cannot be a decision object (it does not start with ``{`` or breaks JSON's
syntax) the whole reply so far, and every chunk after it, is shown as the model sent it. At
the end of the reply :meth:`JsonDecisionStream.finish` parses it as the coordinator does: a
reply that is no decision (cut off, not JSON, missing fields) is shown raw then, so nothing the
model sent is hidden; a decision is kept in :attr:`JsonDecisionStream.decision`.
"""

from __future__ import annotations

import re
from string import hexdigits

from massgen_tui.backends.base import ToolCall
from massgen_tui.coordination.structured import parse_decision

_WS = " \t\n\r"
_DELIMITERS = frozenset(_WS + ',:[]{}"')  # what ends a bare number, true, false or null
_SPECIAL = re.compile(r'["\\]')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset(hexdigits)
_REPLACEMENT = "\ufffd"  # shown for half a surrogate pair
_SHOWN_PATH = ["decision", "content"]

# What may come next outside a string.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE, _END = range(7)
# The string being read: a key, the shown content, or any other value.
_KEY_STRING, _SHOWN, _HIDDEN = range(3)


class JsonDecisionStream:
    """One reply's decoder: :meth:`feed` each chunk, then :meth:`finish` once the reply ended."""

    def __init__(self) -> None:
        self.decision: ToolCall | None = None
        self._chunks: list[str] = []
        self._raw = False  # not a decision: chunks are shown as they come
        self._shown = False  # some decoded text was shown
        self._expect = _VALUE
        self._stack: list[str] = []  # "{" or "[" per open container
        self._keys: list[str | None] = []  # the current key of each open container
        self._string: int | None = None  # the kind of string being read; None outside strings
        self._key: list[str] = []  # the key being read
        self._escape = ""  # "\\" after a backslash, then "\\u" and the hex digits so far
        self._high = ""  # a high surrogate waiting for its low half
        self._scalar = False  # inside a bare number, true, false or null
        self._out: list[str] = []  # decoded text of the chunk being read

    def __copy__(self) -> JsonDecisionStream:
        """An independent copy (replay checkpoints keep one)."""
        new = JsonDecisionStream.__new__(JsonDecisionStream)
        new.__dict__.update(self.__dict__)
        for name in ("_chunks", "_stack", "_keys", "_key", "_out"):
            setattr(new, name, list(getattr(self, name)))
        return new

    def feed(self, chunk: str) -> str:
        """Read the next chunk of the reply; returns the text to show for it (often empty)."""
        if not chunk:
            return ""
        self._chunks.append(chunk)
        if self._raw:
            return chunk
        self._out = []
        ok = self._scan(chunk)
        text = "".join(self._out)
        self._shown = self._shown or bool(text)
        if not ok:
            self._raw = True
            return text + self._raw_reply("".join(self._chunks))
        return text

    def finish(self) -> str:
        """The reply ended: returns the raw reply to show if it is no decision (and was not shown raw yet)."""
        raw = "".join(self._chunks)
        if not raw.strip():
            return ""
        parsed = parse_decision(raw)
        self.decision = parsed if isinstance(parsed, ToolCall) else None
        if self._raw or self.decision is not None:
            return ""
        self._raw = True
        return self._raw_reply(raw)

    def _raw_reply(self, raw: str) -> str:
        """The whole reply as sent, on a line of its own after any decoded text."""
        return ("\n" if self._shown else "") + raw

    # ------------------------------------------------------------- scanning

    def _scan(self, chunk: str) -> bool:
        """Advance over ``chunk``; False at a character no decision object can have there."""
        i, n = 0, len(chunk)
        while i < n:
            if self._string is not None:
                i = self._read_string(chunk, i)
                if i < 0:
                    return False
                continue
            c = chunk[i]
            i += 1
            if self._scalar:
                if c not in _DELIMITERS:
                    continue  # its spelling is checked by the parser at the end
                self._scalar = False
                self._after_value()
            if c in _WS:
                continue
            if not self._step(c):
                return False
        return True

    def _step(self, c: str) -> bool:
        """One structural character."""
        expect = self._expect
        if expect in (_VALUE, _VALUE_OR_CLOSE) and not self._stack and c != "{":
            return False  # the reply is not an object
        if c == '"':
            if expect in (_KEY, _KEY_OR_CLOSE):
                self._string, self._key = _KEY_STRING, []
            elif expect in (_VALUE, _VALUE_OR_CLOSE):
                self._string = _SHOWN if self._keys == _SHOWN_PATH and self._stack == ["{", "{"] else _HIDDEN
            else:
                return False
        elif c in "{[":
            if expect not in (_VALUE, _VALUE_OR_CLOSE):
                return False
            self._stack.append(c)
            self._keys.append(None)
            self._expect = _KEY_OR_CLOSE if c == "{" else _VALUE_OR_CLOSE
        elif c in "}]":
            opener, empty = ("{", _KEY_OR_CLOSE) if c == "}" else ("[", _VALUE_OR_CLOSE)
            if not self._stack or self._stack[-1] != opener or expect not in (_COMMA_OR_CLOSE, empty):
                return False
            self._stack.pop()
            self._keys.pop()
            self._after_value()
        elif c == ":":
            if expect != _COLON:
                return False
            self._expect = _VALUE
        elif c == ",":
            if expect != _COMMA_OR_CLOSE:
                return False
            self._expect = _KEY if self._stack[-1] == "{" else _VALUE
        elif expect in (_VALUE, _VALUE_OR_CLOSE):
            self._scalar = True
        else:
            return False
        return True

    def _after_value(self) -> None:
        self._expect = _COMMA_OR_CLOSE if self._stack else _END

    def _read_string(self, chunk: str, i: int) -> int:
        """Read string characters from ``i``; returns where to go on, or -1 at an invalid escape."""
        if self._escape:
            return self._read_escape(chunk, i)
        match = _SPECIAL.search(chunk, i)
        end = match.start() if match else len(chunk)
        if end > i:
            self._put(chunk[i:end])
        if match is None:
            return end
        if chunk[end] == "\\":
            self._escape = "\\"
        else:
            self._close_string()
        return end + 1

    def _read_escape(self, chunk: str, i: int) -> int:
        if self._escape == "\\":
            c = chunk[i]
            if c == "u":
                self._escape = "\\u"
                return i + 1
            if c not in _ESCAPES:
                return -1
            self._escape = ""
            self._put(_ESCAPES[c])
            return i + 1
        part = chunk[i:i + 6 - len(self._escape)]
        if not _HEX.issuperset(part):
            return -1
        self._escape += part
        if len(self._escape) == 6:
            code, self._escape = int(self._escape[2:], 16), ""
            self._put_code(code)
        return i + len(part)

    def _put_code(self, code: int) -> None:
        """One ``\\uXXXX`` escape: a character, or half of a surrogate pair."""
        if 0xD800 <= code < 0xDC00:
            self._put("")  # a high half before this one had no low half
            self._high = chr(code)
        elif 0xDC00 <= code < 0xE000:
            if self._high:
                high, self._high = ord(self._high), ""
                self._put(chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)))
            else:
                self._put(_REPLACEMENT)
        else:
            self._put(chr(code))

    def _put(self, text: str) -> None:
        """Decoded characters of the string being read."""
        if self._high:
            self._high, text = "", _REPLACEMENT + text
        if self._string == _SHOWN:
            self._out.append(text)
        elif self._string == _KEY_STRING:
            self._key.append(text)

    def _close_string(self) -> None:
        self._put("")
        if self._string == _KEY_STRING:
            self._keys[-1] = "".join(self._key)
            self._expect = _COLON
        else:
            self._after_value()
        self._string = None
