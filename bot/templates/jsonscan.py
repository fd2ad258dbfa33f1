"""A streaming JSON syntax check: memory stays bounded (by nesting depth) whatever the size."""

from __future__ import annotations

import codecs
import re

_WS = re.compile(rb"[ \t\n\r]*")
_STR_BODY = re.compile(rb'(?:[^"\\\x00-\x1f]+|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*')
_NUM_RUN = re.compile(rb"[0-9.eE+-]*")
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}
_BOM = codecs.BOM_UTF8
MAX_DEPTH = 512  # deeper documents are refused: no template nests like that
MAX_TOKEN = 4096  # a number longer than this is refused rather than buffered
CHUNK = 64 * 1024

# What the next token may be.
_VALUE, _FIRST_VALUE, _KEY, _FIRST_KEY, _COLON, _NEXT, _END = range(7)


class JsonSyntaxError(ValueError):
    """The bytes are not one JSON document; `offset` is where it went wrong."""

    def __init__(self, offset: int, problem: str) -> None:
        self.offset = offset
        self.problem = problem
        super().__init__(f"{problem} at byte {offset}")


class JsonScanner:
    """Feed bytes in chunks, then `close()`; raises JsonSyntaxError at the first fault.

    Nothing is decoded into Python objects: only the nesting stack and a few carried bytes
    (a number or an escape cut by a chunk boundary) are kept.
    """

    def __init__(self) -> None:
        self._buf = b""
        self._offset = 0  # file offset of _buf[0]
        self._stack = bytearray()
        self._expect = _VALUE
        self._in_string = False
        self._key = False
        self._started = False
        self._utf8 = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes) -> None:
        if not self._started:
            self._started = True
            if chunk.startswith(_BOM):  # Windows editors add it; DRS reads UTF-8 either way
                chunk = chunk[len(_BOM) :]
                self._offset = len(_BOM)
        try:
            self._utf8.decode(chunk)
        except UnicodeDecodeError as exc:
            at = self._offset + len(self._buf) + exc.start  # near enough across chunks
            raise JsonSyntaxError(at, "text that is not UTF-8") from None
        self._buf = self._buf + chunk if self._buf else chunk
        self._scan(final=False)

    def close(self) -> None:
        try:
            self._utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            raise JsonSyntaxError(self._offset, "text that is not UTF-8") from None
        self._scan(final=True)
        if self._in_string:
            raise JsonSyntaxError(self._offset, "a string that is never closed")
        if self._expect != _END:
            raise JsonSyntaxError(self._offset, "the document ends early")

    def _fail(self, pos: int, problem: str) -> JsonSyntaxError:
        return JsonSyntaxError(self._offset + pos, problem)

    def _value_done(self) -> None:
        self._expect = _NEXT if self._stack else _END

    def _scan(self, *, final: bool) -> None:
        buf, pos, n = self._buf, 0, len(self._buf)
        while True:
            if self._in_string:
                pos = self._string(buf, pos, final=final)
                if self._in_string:
                    break
                continue
            pos = _WS.match(buf, pos).end()  # type: ignore[union-attr]  # * always matches
            if pos == n:
                break
            step = self._token(buf, pos, final=final)
            if step < 0:
                break
            pos = step
        self._offset += pos
        self._buf = buf[pos:]

    def _string(self, buf: bytes, pos: int, *, final: bool) -> int:
        end = _STR_BODY.match(buf, pos).end()  # type: ignore[union-attr]  # * always matches
        if end == len(buf):
            return end
        if buf[end] == 0x22:
            self._in_string = False
            if self._key:
                self._expect = _COLON
            else:
                self._value_done()
            return end + 1
        if buf[end] == 0x5C and len(buf) - end < 6 and not final:
            return end  # an escape cut by the chunk boundary: carried
        raise self._fail(end, "a bad escape or a control character inside a string")

    def _token(self, buf: bytes, pos: int, *, final: bool) -> int:
        """Consume one token at `pos`; -1 when it may continue in the next chunk."""
        c, expect = buf[pos], self._expect
        if expect == _END:
            raise self._fail(pos, "more text after the end of the document")
        if c == 0x22 and expect not in (_COLON, _NEXT):
            self._key = expect in (_KEY, _FIRST_KEY)
            self._in_string = True
            return pos + 1
        if expect in (_KEY, _FIRST_KEY):
            if c == 0x7D and expect == _FIRST_KEY:
                return self._close(pos)
            raise self._fail(pos, "a key in double quotes was expected")
        if expect == _COLON:
            if c != 0x3A:
                raise self._fail(pos, "':' was expected after a key")
            self._expect = _VALUE
            return pos + 1
        if expect == _NEXT:
            return self._after_value(c, pos)
        if c == 0x5D and expect == _FIRST_VALUE:
            return self._close(pos)
        return self._value(buf, pos, final=final)

    def _after_value(self, c: int, pos: int) -> int:
        top = self._stack[-1]
        if c == 0x2C:
            self._expect = _KEY if top == 0x7B else _VALUE
            return pos + 1
        if c == (0x7D if top == 0x7B else 0x5D):
            return self._close(pos)
        raise self._fail(pos, "',' or the end of the list or object was expected")

    def _close(self, pos: int) -> int:
        self._stack.pop()
        self._value_done()
        return pos + 1

    def _value(self, buf: bytes, pos: int, *, final: bool) -> int:
        c = buf[pos]
        if c in (0x5B, 0x7B):
            if len(self._stack) >= MAX_DEPTH:
                raise self._fail(pos, f"lists or objects nested deeper than {MAX_DEPTH}")
            self._stack.append(c)
            self._expect = _FIRST_VALUE if c == 0x5B else _FIRST_KEY
            return pos + 1
        if c == 0x2D or 0x30 <= c <= 0x39:
            end = _NUM_RUN.match(buf, pos).end()  # type: ignore[union-attr]  # * always matches
            if end - pos > MAX_TOKEN:
                raise self._fail(pos, f"a number longer than {MAX_TOKEN} characters")
            if end == len(buf) and not final:
                return -1
            if not _NUMBER.fullmatch(buf, pos, end):
                raise self._fail(pos, "a malformed number")
            self._value_done()
            return end
        word = _LITERALS.get(c)
        if word is None:
            raise self._fail(pos, "a value was expected")
        if len(buf) - pos < len(word) and not final and word.startswith(buf[pos:]):
            return -1
        if not buf.startswith(word, pos):
            raise self._fail(pos, "a value was expected")
        self._value_done()
        return pos + len(word)


def check_json(data: bytes) -> None:
    """Raise JsonSyntaxError unless `data` is one JSON document (UTF-8, BOM allowed)."""
    scanner = JsonScanner()
    for start in range(0, len(data), CHUNK):
        scanner.feed(data[start : start + CHUNK])
    scanner.close()
