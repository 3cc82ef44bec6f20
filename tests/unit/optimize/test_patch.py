"""Showing the change as a diff and applying it to the user's file without ever leaving it half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from effilab.errors import InvalidArgument
from effilab.optimize.patch import apply_patch, unified_diff

OLD = "def f(x):\n    return x\n\n\nY = 1\n"
NEW = "def f(x):\n    return x + 0\n\n\nY = 1\n"


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "user.py"
    path.write_bytes(OLD.encode("utf-8"))
    path.chmod(0o754)
    return path


# ------------------------------------------------------------------------------------------------- diff


def test_diff_headers_are_relative_to_cwd(user_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(user_file.parent.parent)
    diff = unified_diff(user_file, OLD, NEW)
    name = f"{user_file.parent.name}/user.py"
    assert diff.splitlines()[:2] == [f"--- a/{name}", f"+++ b/{name}"]
    assert "-    return x\n+    return x + 0\n" in diff


def test_diff_outside_cwd_uses_absolute_path(user_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = user_file.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert unified_diff(user_file, OLD, NEW).startswith(f"--- a/{user_file.as_posix().lstrip('/')}\n")


def test_diff_of_equal_texts_is_empty(user_file: Path) -> None:
    assert unified_diff(user_file, OLD, OLD) == ""


def test_diff_marks_missing_final_newline(user_file: Path) -> None:
    diff = unified_diff(user_file, "a\nb", "a\nc")
    assert diff.endswith("-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n")


# ------------------------------------------------------------------------------------------------ apply


def test_apply_replaces_content_and_keeps_backup_and_mode(user_file: Path) -> None:
    backup = apply_patch(user_file, OLD, NEW)

    assert user_file.read_bytes() == NEW.encode("utf-8")
    assert backup == user_file.with_name("user.py.effilab.bak")
    assert backup.read_bytes() == OLD.encode("utf-8")
    assert stat.S_IMODE(user_file.stat().st_mode) == 0o754
    assert sorted(p.name for p in user_file.parent.iterdir()) == ["user.py", "user.py.effilab.bak"]


def test_backups_are_numbered_instead_of_overwritten(user_file: Path) -> None:
    first = apply_patch(user_file, OLD, NEW)
    second = apply_patch(user_file, NEW, OLD)
    third = apply_patch(user_file, OLD, NEW)

    assert [first.name, second.name, third.name] == [
        "user.py.effilab.bak",
        "user.py.effilab.bak.1",
        "user.py.effilab.bak.2",
    ]
    assert first.read_bytes() == OLD.encode("utf-8")
    assert second.read_bytes() == NEW.encode("utf-8")


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    old = "\ufeffx = 'é'\r\ny = 1"
    path.write_bytes(old.encode("utf-8"))

    apply_patch(path, old, old.replace("1", "2"))

    assert path.read_bytes() == "\ufeffx = 'é'\r\ny = 2".encode()


def test_refuses_when_file_changed(user_file: Path) -> None:
    user_file.write_text("changed = True\n", encoding="utf-8")
    with pytest.raises(InvalidArgument, match="changed since it was read"):
        apply_patch(user_file, OLD, NEW)
    assert user_file.read_text(encoding="utf-8") == "changed = True\n"
    assert [p.name for p in user_file.parent.iterdir()] == ["user.py"]


def test_failed_replace_leaves_original_and_no_debris(
    user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        apply_patch(user_file, OLD, NEW)

    assert user_file.read_bytes() == OLD.encode("utf-8")
    assert stat.S_IMODE(user_file.stat().st_mode) == 0o754
    assert [p.name for p in user_file.parent.iterdir()] == ["user.py"]


def test_symlink_target_is_patched_and_link_kept(user_file: Path) -> None:
    link = user_file.with_name("link.py")
    link.symlink_to(user_file)

    apply_patch(link, OLD, NEW)

    assert link.is_symlink()
    assert user_file.read_bytes() == NEW.encode("utf-8")
