"""Showing and applying the change to the user's file.

Applying is the one step of ``effilab optimize`` that writes user files, so it is careful: it refuses if
the file changed since it was read, keeps a backup of the old bytes, and replaces the file atomically
(``os.replace`` of a fully written, fsynced sibling), so a crash leaves either the old or the new file,
never a half-written one.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.optimize.target import split_lines

__all__ = ["apply_patch", "unified_diff"]

_BACKUP_SUFFIX = ".effilab.bak"
_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: Path, old: str, new: str) -> str:
    """A unified diff from ``old`` to ``new`` with ``a/`` and ``b/`` headers ("" when they are equal)."""
    if old == new:
        return ""
    name = _display_path(path)
    lines = difflib.unified_diff(split_lines(old), split_lines(new), fromfile=f"a/{name}", tofile=f"b/{name}")
    # A last line without a newline would glue onto the next diff line; diff(1) marks it instead.
    return "".join(line if line.endswith("\n") else f"{line}\n{_NO_NEWLINE}" for line in lines)


def _display_path(path: Path) -> str:
    """``path`` relative to the working directory if under it, else absolute without the leading slash."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix().lstrip("/")


def apply_patch(path: Path, expected_old: str, new: str) -> Path:
    """Replace the contents of ``path`` (expected to be ``expected_old``) by ``new``; return the backup path.

    Raises :class:`InvalidArgument` if the file no longer holds ``expected_old``. On any failure the file
    is left as it was and no temporary file or backup is left behind.
    """
    real = path.resolve()  # write through a symlink to the file, rather than replacing the link
    old_bytes = _read_unchanged(real, expected_old)
    mode = stat.S_IMODE(real.stat().st_mode)
    backup = _write_backup(real, old_bytes, mode)
    try:
        _replace_atomically(real, new.encode("utf-8"), mode)
    except BaseException:
        backup.unlink(missing_ok=True)  # nothing changed, so a backup would only mislead
        raise
    return backup


def _read_unchanged(path: Path, expected_old: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidArgument(f"{path}: cannot read: {exc.strerror}") from None
    # Compared as decoded text without newline translation, exactly as parse_target read it.
    if data.decode("utf-8", errors="replace") != expected_old:
        raise InvalidArgument(f"{path} changed since it was read; not patching it")
    return data


def _write_backup(path: Path, data: bytes, mode: int) -> Path:
    """Write ``data`` to the first free ``<name>.effilab.bak[.N]`` next to ``path``.

    Exclusive creation (``x``) means an existing backup, or one created concurrently, is never overwritten.
    """
    number = 0
    while True:
        suffix = _BACKUP_SUFFIX if number == 0 else f"{_BACKUP_SUFFIX}.{number}"
        backup = path.with_name(path.name + suffix)
        try:
            with backup.open("xb") as stream:
                stream.write(data)
        except FileExistsError:
            number += 1
            continue
        os.chmod(backup, mode)
        return backup


def _replace_atomically(path: Path, data: bytes, mode: int) -> None:
    # The temporary file is a sibling so os.replace stays within one file system (a rename, hence atomic).
    descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".effilab.tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, mode)  # mkstemp creates 0600; the user's file keeps its own permissions
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; best effort, as not every platform lets a directory be opened."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
