"""The version of the results file's layout, kept in SQLite's ``PRAGMA user_version``.

One file holds both ``evaluate``'s tables and ``optimize``'s trajectory, so the version is the file's,
shared by both stores. Opening a file first reads its version, before anything is written: an older
layout is migrated step by step, a newer one (written by a later effilab) is refused with one line and
left untouched, so no stored result is ever lost or damaged by a mismatch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from effilab.errors import InvalidArgument

__all__ = ["SCHEMA_VERSION", "migrate", "refuse_newer"]

SCHEMA_VERSION = 1
"""1: runs, problems, samples, levels (evaluate); optimize_runs, optimize_attempts (optimize)."""


def _stamp_unversioned(db: sqlite3.Connection) -> None:
    """0 → 1: files written before versioning already have version 1's tables (the stores check their
    columns), and a new file has none yet; only the stamp changes."""


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _stamp_unversioned}
"""From version N to N + 1, each run in one transaction with the new stamp."""


def refuse_newer(db: sqlite3.Connection, path: str | Path) -> int:
    """The file's schema version, read without writing; :class:`InvalidArgument` for a newer file."""
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise InvalidArgument(
            f"--db {str(path)!r}: written by a newer effilab (results schema version {found}; this one "
            f"reads up to {SCHEMA_VERSION}); upgrade effilab or use another file"
        )
    if found < 0:
        raise InvalidArgument(f"--db {str(path)!r}: not an effilab results file (user_version {found})")
    return found


def migrate(db: sqlite3.Connection, found: int) -> None:
    """Bring a file of version ``found`` to :data:`SCHEMA_VERSION`, one committed step at a time.

    Called once the store has checked that the tables present are effilab's, so a foreign file is
    refused before it is stamped.
    """
    for version in range(found, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            _MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
