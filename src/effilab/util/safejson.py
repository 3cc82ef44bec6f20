"""``json.loads`` for input effilab did not write: every failure is one :class:`JSONInputError`.

The standard parser raises three unrelated exceptions on hostile text: ``JSONDecodeError`` for syntax,
``RecursionError`` for arrays nested deeper than the interpreter's recursion limit, and a bare
``ValueError`` for an integer longer than Python's int/str conversion limit (4300 digits by default,
CVE-2020-10735). Callers that caught only the first printed a traceback for the other two.
"""

from __future__ import annotations

import json
import sys
from typing import Any

__all__ = ["JSONInputError", "loads"]


class JSONInputError(ValueError):
    """Text that is not JSON effilab can read; ``reason`` says why, ``line``/``column`` where (if known)."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None) -> None:
        self.reason = reason
        self.line = line
        self.column = column
        where = f" at line {line} column {column}" if line is not None and column is not None else ""
        super().__init__(f"{reason}{where}")


def loads(data: str | bytes | bytearray) -> Any:
    """Parse ``data``; raise :class:`JSONInputError` (a ``ValueError``) for anything unreadable."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    except UnicodeDecodeError as exc:
        raise JSONInputError(f"not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONInputError(exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise JSONInputError(f"nested deeper than {sys.getrecursionlimit()} levels") from None
    except ValueError:  # the only other ValueError json raises: the int/str conversion limit
        limit = sys.get_int_max_str_digits()
        raise JSONInputError(f"an integer longer than {limit} digits (Python's conversion limit)") from None
