"""Results too large to decode: streamed by the child, hashed by the parent, never kept.

A worker whose :class:`~effilab.sandbox.Limits` set ``stream_above_bytes`` lets the child send a result
larger than that (measured by its marshal size) as a *stream* instead of one JSON line: the reply line says
``"stream": true``, then length-prefixed frames follow. The frames carry a canonical serialisation of the
value (pickle without memo, by slices of a top-level list or tuple, see ``_bootstrap._stream_chunks``): equal
values built the same way give equal bytes whichever objects they share.

The parent never unpickles those bytes (pickle is unsafe on untrusted data). :class:`StreamReader` feeds
them to SHA-256 as they arrive and keeps nothing else, so a result of any size costs the parent one pipe
read buffer, and the call's value becomes an :class:`OutputDigest`. The digest is computed by the parent
over the bytes it received, never reported by the child: a candidate matches an expected digest only by
sending the very bytes of the expected value.
"""

from __future__ import annotations

import dataclasses
import hashlib

__all__ = ["MAX_FRAME", "OutputDigest", "StreamReader"]

MAX_FRAME = 1 << 20
"""Largest frame the child sends (``_bootstrap.STREAM_FRAME``)."""
_ABORT = 0xFFFFFFFF
"""End mark of a stream whose serialisation failed in the child (``_bootstrap.STREAM_ABORT``)."""


@dataclasses.dataclass(frozen=True, slots=True)
class OutputDigest:
    """A streamed result: the SHA-256 of its canonical serialisation and that serialisation's size.

    Two digests are equal exactly when the serialisations were byte for byte the same, which implies equal
    values of equal types. Different digests do not prove the values differ under Python's ``==`` (``1`` vs
    ``1.0``, dicts in another insertion order, sets iterated in another order): rules that accept such
    outputs cannot judge a digest (see :meth:`effilab.check.rules.Rule.check_digests`).
    """

    sha256: str
    size: int

    def __repr__(self) -> str:
        return f"<streamed output of {self.size / 1e6:.1f} MB, sha256 {self.sha256[:12]}…>"


class StreamReader:
    """Parses the frames of one streamed result from the bytes the parent reads, hashing the payloads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self._frame_left = -1  # -1: a frame header comes next
        self.done = False
        self.aborted = False
        self.error: str | None = None
        """Set when the stream breaks the protocol or exceeds ``max_bytes``; reading must stop."""

    def feed(self, buffer: bytearray) -> None:
        """Consume as much of ``buffer`` as belongs to the stream (in place); leaves any bytes after it."""
        consumed = 0
        length = len(buffer)
        with memoryview(buffer) as view:
            while not self.done and self.error is None:
                if self._frame_left < 0:
                    if length - consumed < 4:
                        break
                    header = int.from_bytes(view[consumed : consumed + 4], "big")
                    consumed += 4
                    if header in (0, _ABORT):
                        self.done = True
                        self.aborted = header == _ABORT
                    elif header > MAX_FRAME:
                        self.error = f"protocol violation: stream frame of {header} bytes"
                    else:
                        self._frame_left = header
                    continue
                take = min(self._frame_left, length - consumed)
                if take == 0:
                    break
                self._hash.update(view[consumed : consumed + take])
                consumed += take
                self._frame_left -= take
                self.size += take
                if self._frame_left == 0:
                    self._frame_left = -1
                if self.size > self.max_bytes:
                    self.error = f"streamed result larger than {self.max_bytes} bytes"
        del buffer[:consumed]

    def digest(self) -> OutputDigest:
        return OutputDigest(self._hash.hexdigest(), self.size)
