"""Opening the results file: one way for every store that keeps tables in it.

``evaluate``, ``optimize``, ``dataset build`` and ``pie:`` runs keep their tables in the same SQLite file
(``--db``). Each opens it here, so the same checks happen in the same order for all of them: a bad path is
one line naming it, a newer file and a file whose tables are not effilab's are refused before anything is
written (left exactly as they were), and an older one is migrated (:mod:`effilab.results.schema`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.results.schema import migrate, refuse_newer

__all__ = ["open_results"]


def open_results(
    path: str | Path, *, schema: str, expected: Mapping[str, Sequence[str]]
) -> sqlite3.Connection:
    """A connection (autocommit, WAL) to the results file at ``path`` with ``schema``'s tables created.

    ``expected``: the columns of each table ``schema`` creates; a table of that name that already exists
    with other columns belongs to another program, and the file is refused.
    """
    where = Path(path)
    if where.exists() and not where.is_file():
        raise InvalidArgument(f"--db {str(path)!r}: not a file")
    if not where.parent.exists():
        raise InvalidArgument(f"--db {str(path)!r}: folder {str(where.parent)!r} does not exist")
    try:
        db = sqlite3.connect(where, isolation_level=None, timeout=30.0)
    except sqlite3.DatabaseError as exc:
        raise InvalidArgument(f"--db {str(path)!r}: not a usable SQLite file ({exc})") from None
    try:
        version = refuse_newer(db, where)  # first: a refused file is left as it was
        for table, columns in expected.items():
            found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            if found and found != list(columns):
                raise InvalidArgument(
                    f"--db {str(path)!r}: table {table!r} is not effilab's (columns {found}, not "
                    f"{list(columns)}); use another file"
                )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
        db.executescript(schema)
        migrate(db, version)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise InvalidArgument(f"--db {str(path)!r}: not a usable SQLite file ({exc})") from None
    except BaseException:
        db.close()
        raise
    return db
