"""The host filesystem: no writes, deletes or metadata changes outside the private tmp dir, no reads of
anything private."""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from pathlib import Path

from effilab.sandbox import Verdict
from effilab.sandbox.isolation import SANDBOX_DIR, interpreter_paths

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# What a sandbox may legitimately see of the host filesystem (bubblewrap builds its root from these).
ALLOW_LISTED = (
    *interpreter_paths(),
    str(SANDBOX_DIR),
    "/usr",
    "/lib",
    "/lib64",
    "/bin",
    "/etc/ld.so.cache",
    "/etc/localtime",
)


def allowed_names(directory: str) -> set[str]:
    """Entries of ``directory`` a sandbox may see: those on the way to an allow-listed path."""
    prefix = directory.rstrip("/") + "/"
    return {path[len(prefix) :].split("/")[0] for path in ALLOW_LISTED if path.startswith(prefix)}


def assert_not_read(path: str, outcome: object) -> None:
    """A file must not be read; a directory listing may show only the way to allow-listed paths."""
    if path.startswith("ls "):
        directory = path[3:]
        if isinstance(outcome, list):
            leaked = set(outcome) - allowed_names(directory)
            assert not leaked, f"{directory} listed host entries {sorted(leaked)}"
            return
    assert isinstance(outcome, str), f"{path} was listed: {outcome}"
    assert outcome.startswith("DENIED"), f"{path} was read: {outcome[:80]!r}"


def snapshot(root: Path) -> dict[str, tuple[int, int, int, int, str]]:
    """Everything the host can see of a directory tree: mode, owner, size, mtime, content digest."""
    found = {}
    for path in sorted([root, *root.rglob("*")]):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
        found[str(path.relative_to(root))] = (
            info.st_mode,
            info.st_uid,
            info.st_size,
            info.st_mtime_ns,
            digest,
        )
    return found


def test_cannot_create_files_outside_the_private_tmp(tier, run_candidate, tmp_path, host):
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    (host_dir / "existing.txt").write_text("keep me")
    before = snapshot(host_dir)
    result = run_candidate("write_outside", tier, (str(host_dir), host.token))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert snapshot(host_dir) == before, "the sandbox changed a host directory"
    assert not (host.session_tmp / f"escape-{host.token}").exists()
    assert not Path(f"/tmp/effilab-escape-{host.token}").exists()
    assert not Path(f"/dev/shm/effilab-escape-{host.token}").exists()
    for action in (
        "open",
        "os.open",
        "mkdir",
        "mkfifo",
        "symlink_out",
        "write_through_symlink",
        "rename_out",
    ):
        assert call.value[action].startswith("denied"), f"{action}: {call.value[action]}"


def test_cannot_delete_or_overwrite_host_files(tier, run_candidate, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data")
    victim_dir = tmp_path / "victim-dir"
    victim_dir.mkdir()
    before = snapshot(tmp_path)
    result = run_candidate("delete_outside", tier, (str(victim), str(victim_dir)))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert victim.read_text() == "precious data"
    assert victim_dir.is_dir()
    assert snapshot(tmp_path) == before
    for action, outcome in call.value.items():
        assert outcome.startswith("denied"), f"{action}: {outcome}"


def test_cannot_change_host_file_metadata(tier, run_candidate, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious data")
    victim.chmod(0o644)
    before = snapshot(tmp_path)
    xattrs_before = os.listxattr(victim)
    result = run_candidate("tamper_metadata", tier, (str(victim),))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert os.listxattr(victim) == xattrs_before, "an extended attribute was added from the sandbox"
    after = snapshot(tmp_path)
    assert after == before, (
        f"host file metadata changed from inside the sandbox: mode {oct(after['victim.txt'][0])}, "
        f"mtime {after['victim.txt'][3]}; candidate saw {call.value}"
    )
    for action, outcome in call.value.items():
        assert outcome.startswith("denied"), f"{action}: {outcome}"


def test_cannot_read_host_files_or_list_private_directories(tier, run_candidate, tmp_path):
    secret_text = f"host-secret-{uuid.uuid4().hex}"
    secret = tmp_path / "secret.txt"
    secret.write_text(secret_text)
    home = Path(os.path.expanduser("~"))
    files = [str(secret), str(PROJECT_ROOT / "pyproject.toml"), str(Path(__file__).resolve())]
    files += [str(home / name) for name in (".bashrc", ".profile") if (home / name).is_file()]
    directories = [str(tmp_path), str(home), str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]
    result = run_candidate("read_files", tier, (files, directories))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    assert secret_text not in repr(call.value)
    for path, outcome in call.value.items():
        assert_not_read(path, outcome)


def test_cannot_read_system_secrets(tier, run_candidate):
    files = ["/etc/shadow", "/etc/passwd", "/etc/hostname", "/etc/hosts"]
    result = run_candidate("read_files", tier, (files, ["/etc", "/root"]))
    call = result.calls[0]
    assert call.verdict == Verdict.OK, call
    for path, outcome in call.value.items():
        assert_not_read(path, outcome)
