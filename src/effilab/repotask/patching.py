"""Patches: what a unified diff touches, which lines it adds, and applying it to a fresh copy.

effilab reads the diff itself (file names, added line numbers) for the gates, and leaves applying it to
``git apply``: first ``--check`` (does it apply cleanly to the base?), then the real thing, in a copy of the
base tree that is outside any git repository (``GIT_CEILING_DIRECTORIES`` stops git from finding one above).
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from pathlib import Path

__all__ = ["FileChange", "PatchError", "apply_patch", "parse_patch"]

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_APPLY_TIMEOUT_S = 120.0


class PatchError(ValueError):
    """The text is not a patch effilab can read (the candidate's fault: reported, never raised further)."""


@dataclasses.dataclass(frozen=True, slots=True)
class FileChange:
    """One file a patch touches."""

    old: str | None
    """Path before (None: the file is created)."""
    new: str | None
    """Path after (None: the file is deleted)."""
    added: tuple[int, ...]
    """Line numbers, in the new file, of the lines the patch adds."""
    binary: bool = False

    @property
    def path(self) -> str:
        return self.new or self.old or ""


def _strip(name: str) -> str | None:
    name = name.split("\t", 1)[0].strip()
    if name == "/dev/null":
        return None
    if name.startswith('"'):
        raise PatchError(f"quoted file name {name!r} (unusual characters) is not accepted")
    return name[2:] if name[:2] in ("a/", "b/") else name


def parse_patch(text: str) -> list[FileChange]:
    """The files ``text`` (a unified diff, git's or plain) changes, in order; PatchError if it holds none."""
    changes: list[FileChange] = []
    old: str | None = None
    new: str | None = None
    added: list[int] = []
    binary = False
    started = False
    line_no = old_left = new_left = 0

    def flush() -> None:
        nonlocal started
        if started:
            changes.append(FileChange(old, new, tuple(added), binary))
        started = False

    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if old_left > 0 or new_left > 0:  # inside a hunk: count its lines, note the added ones
            if line.startswith("+"):
                added.append(line_no)
                line_no += 1
                new_left -= 1
            elif line.startswith("-"):
                old_left -= 1
            elif line.startswith(" ") or line == "":  # "": a context line whose space an editor stripped
                line_no += 1
                old_left -= 1
                new_left -= 1
            elif not line.startswith("\\"):  # "\ No newline at end of file" belongs to the hunk
                raise PatchError(f"line {i + 1}: hunk ends early ({line[:60]!r})")
        elif line.startswith("diff --git "):
            flush()
            parts = line[len("diff --git ") :].split(" ")
            old, new = _strip(parts[0]), _strip(parts[-1])
            added, binary, started = [], False, True
        elif line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            if not (started and not added):  # a plain diff's next file (git's carry a header first)
                flush()
                added, binary, started = [], False, True
            old, new = _strip(line[4:]), _strip(lines[i + 1][4:])
            i += 1
        elif line.startswith("new file mode") and started:
            old = None
        elif line.startswith("deleted file mode") and started:
            new = None
        elif line.startswith(("rename from ", "copy from ")) and started:
            old = line.split(" from ", 1)[1].strip()
        elif line.startswith(("rename to ", "copy to ")) and started:
            new = line.split(" to ", 1)[1].strip()
        elif line.startswith(("Binary files ", "GIT binary patch")) and started:
            binary = True
        elif (match := _HUNK.match(line)) and started:
            line_no = int(match.group(3))
            old_left = int(match.group(2) or "1")
            new_left = int(match.group(4) or "1")
        i += 1
    flush()
    if not changes:
        raise PatchError("no file changes found (not a unified diff)")
    for change in changes:
        for name in (change.old, change.new):
            if name is not None and (name.startswith("/") or ".." in Path(name).parts or not name):
                raise PatchError(f"file name {name!r} points outside the repository")
    return changes


def _git_env(work: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": "/nonexistent",
        "GIT_CEILING_DIRECTORIES": str(work.parent),
    }


def _one_line(data: bytes) -> str:
    lines = [line.strip() for line in data.decode(errors="replace").splitlines() if line.strip()]
    return "; ".join(lines[:3]) if lines else "(no message)"


def apply_patch(text: str, work: Path) -> str | None:
    """Apply ``text`` inside ``work``; None on success, else why it does not apply cleanly (one line)."""
    patch_file = work.parent / f".{work.name}.patch"
    patch_file.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    try:
        for check in (True, False):
            argv = ["git", "apply", "--whitespace=nowarn", *(["--check"] if check else []), str(patch_file)]
            try:
                done = subprocess.run(argv, cwd=work, capture_output=True, env=_git_env(work),
                                      timeout=_APPLY_TIMEOUT_S, check=False)  # fmt: skip
            except subprocess.TimeoutExpired:
                return "git apply took too long"
            if done.returncode != 0:
                return _one_line(done.stderr)
        return None
    finally:
        patch_file.unlink(missing_ok=True)
