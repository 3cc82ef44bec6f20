"""The base tree of a task's repository, and fresh copies of it for each version under test.

The base tree is made once per (source, base) and kept in the cache folder: a git revision exported with
``git archive`` (a clone of a URL is cached too), a package's source distribution downloaded with ``pip
download --no-binary :all: --no-deps name==version`` and unpacked, or a local folder copied as it is (not
cached: it may change). Every version (the base itself, each patch) runs from its own copy, so nothing one
version's runs could leave behind reaches another.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from effilab.errors import InvalidArgument
from effilab.repotask.task import RepoSource

__all__ = ["base_tree", "work_copy"]

_GIT_TIMEOUT_S = 600.0


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def _git(args: list[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_TERMINAL_PROMPT": "0",
        "HOME": "/nonexistent",
    }
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT_S, env=env,
                              check=False)  # fmt: skip
    except FileNotFoundError:
        raise InvalidArgument("git is not installed: it is needed for repository tasks") from None


def _one_line(data: bytes) -> str:
    lines = [line for line in data.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no message)"


def _export_revision(repo: Path, revision: str, dest: Path, what: str) -> None:
    """``git archive REVISION`` of ``repo`` unpacked into ``dest`` (written to a sibling, then renamed)."""
    check = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd=repo)
    if check.returncode != 0:
        raise InvalidArgument(f"repo.base={revision!r}: no such commit in {what}")
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=dest.parent))
    archive = partial / "tree.tar"
    done = _git(["archive", "--format=tar", "-o", str(archive), revision], cwd=repo)
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise InvalidArgument(f"git archive {revision} of {what} failed: {_one_line(done.stderr)}")
    tree = partial / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    archive.unlink()
    os.replace(tree, dest)
    shutil.rmtree(partial, ignore_errors=True)


def _git_tree(source: RepoSource, cache: Path) -> Path:
    assert source.base is not None
    dest = cache / "trees" / _key("git", source.location, source.base)
    if dest.is_dir():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.kind == "path":
        _export_revision(Path(source.location), source.base, dest, source.location)
        return dest
    clone = cache / "clones" / _key(source.location)
    if not clone.is_dir():
        clone.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=clone.parent))
        done = _git(["clone", "--quiet", "--bare", source.location, str(partial / "repo.git")])
        if done.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            raise InvalidArgument(f"repo.url={source.location!r}: git clone failed: {_one_line(done.stderr)}")
        os.replace(partial / "repo.git", clone)
        shutil.rmtree(partial, ignore_errors=True)
    _export_revision(clone, source.base, dest, source.location)
    return dest


def _unpack_sdist(archive: Path, dest: Path) -> None:
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=dest.parent))
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zipped:
                for member in zipped.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise InvalidArgument(f"{archive.name}: unsafe member {member!r}")
                zipped.extractall(partial)
        else:
            with tarfile.open(archive) as tar:
                tar.extractall(partial, filter="data")
        entries = list(partial.iterdir())
        # An sdist holds one folder, name-version/: the repository root is inside it.
        if len(entries) == 1 and entries[0].is_dir():
            os.replace(entries[0], dest)
        else:
            os.replace(partial, dest)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _package_tree(source: RepoSource, cache: Path, pip: tuple[str, ...]) -> Path:
    assert source.base is not None
    spec = f"{source.location}=={source.base}"
    dest = cache / "trees" / _key("package", spec.lower())
    if dest.is_dir():
        return dest
    downloads = cache / "sdists" / _key(spec.lower())
    downloads.mkdir(parents=True, exist_ok=True)
    archives = [p for p in downloads.iterdir() if p.name.endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz"))]
    if not archives:
        argv = [*pip, "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                "--dest", str(downloads), spec]  # fmt: skip
        done = subprocess.run(argv, capture_output=True, timeout=_GIT_TIMEOUT_S, check=False)
        archives = [
            p for p in downloads.iterdir() if p.name.endswith((".tar.gz", ".zip", ".tar.bz2", ".tgz"))
        ]
        if done.returncode != 0 and not archives:
            raise InvalidArgument(f"repo.package={spec!r}: pip download failed: {_one_line(done.stderr)}")
    if len(archives) != 1:
        raise InvalidArgument(f"repo.package={spec!r}: expected one source distribution, found {archives}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _unpack_sdist(archives[0], dest)
    return dest


def base_tree(source: RepoSource, *, cache: Path, pip: tuple[str, ...] = ()) -> Path:
    """The base tree of ``source``, made once into ``cache`` (a local folder without a base: the folder).

    ``pip``: the command that runs pip (default: this interpreter's ``-m pip``).
    """
    if source.kind == "path" and source.base is None:
        return Path(source.location)
    cache.mkdir(parents=True, exist_ok=True)
    if source.kind == "package":
        import sys  # noqa: PLC0415 -- only to name this interpreter's pip

        return _package_tree(source, cache, pip or (sys.executable, "-m", "pip"))
    return _git_tree(source, cache)


def _readable(root: Path) -> None:
    """Let the sandbox's unprivileged user read (never write) the copy: folders 755, files 644 or 755."""
    os.chmod(root, 0o755)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755 if os.access(path, os.X_OK) else 0o644)


def work_copy(base: Path, scratch: Path, name: str) -> Path:
    """A fresh copy of the base tree at ``scratch/name`` (without ``.git``), readable by the sandbox."""
    dest = scratch / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(base, dest, symlinks=True, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    _readable(dest)
    return dest
