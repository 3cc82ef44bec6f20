"""A program under measurement: source text plus the entry point to call. Plain data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from effilab.errors import InvalidArgument

__all__ = ["Program", "read_source"]


def read_source(path: str | Path, *, what: str = "FILE") -> bytes:
    """Bytes of a source file, or :class:`InvalidArgument` naming ``what`` and the problem."""
    file = Path(path)
    if not file.exists():
        raise InvalidArgument(f"{what}: {str(path)!r} does not exist")
    if not file.is_file():
        raise InvalidArgument(f"{what}: {str(path)!r} is not a regular file")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"{what}: cannot read {str(path)!r}: {exc.strerror}") from None


@dataclasses.dataclass(frozen=True, slots=True)
class Program:
    source: bytes
    entry: str
    filename: str = "candidate.py"
    read_paths: tuple[str, ...] = ()
    """Extra paths the sandbox may read (a user's project whose modules the program imports)."""

    @classmethod
    def from_path(cls, path: str | Path, entry: str, *, what: str = "FILE") -> Program:
        return cls(read_source(path, what=what), entry, str(path))
