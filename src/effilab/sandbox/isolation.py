"""Isolation tiers: how a sandboxed interpreter is launched, and which layers protect the host.

Two tiers, chosen from a registry (``make_isolation("bwrap")``):

``bwrap``
    bubblewrap namespaces (no network, own pid/ipc/uts/user/cgroup namespaces), an allow-listed read-only
    filesystem, a private ``/tmp``, ``--die-with-parent``, all capabilities dropped; plus everything below.
``process``
    for machines where bubblewrap cannot run: a fresh interpreter with an environment built from scratch,
    its own session and process group, resource limits, capabilities dropped (when root), Landlock
    (filesystem allow-list, TCP deny, signal scoping) and seccomp.

Both add a ``pids`` cgroup when this process may create one, and the in-child seccomp filter.
Every result records the layers that were actually in force, as reported by :class:`LaunchPlan` (parent-side
layers) and by the child's bootstrap (in-child layers).
"""

from __future__ import annotations

import abc
import compileall
import contextlib
import dataclasses
import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from effilab.errors import InvalidArgument, SandboxUnavailable
from effilab.sandbox import confine
from effilab.sandbox.limits import Limits

__all__ = [
    "ISOLATION_TIERS",
    "BwrapIsolation",
    "Isolation",
    "LaunchPlan",
    "ProcessIsolation",
    "interpreter_paths",
    "make_isolation",
]

SANDBOX_DIR = Path(__file__).resolve().parent
BOOTSTRAP = SANDBOX_DIR / "_bootstrap.py"
SANDBOX_UID = 65534  # "nobody" inside the bubblewrap user namespace
CALLGRIND_OUT = "callgrind.out"  # dump N of the counts is written to <private tmp>/callgrind.out.N

# Extra interpreter threads in numeric libraries would count against max_processes and add noise.
_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


@functools.cache
def precompile_sandbox_modules() -> None:
    """Write bytecode for the modules the child imports, once per parent process.

    The child runs with -B on a read-only tree, so without this it would compile codec, confine and
    counters from source at every start (about 10 ms each time). Where the package directory is not
    writable this does nothing and the child simply compiles.
    """
    with contextlib.suppress(OSError):
        compileall.compile_dir(SANDBOX_DIR, quiet=2, maxlevels=0)


@functools.cache
def interpreter_paths() -> tuple[str, ...]:
    """Directories the interpreter needs to read: its prefix, stdlib and site-packages. Nothing else."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        candidates.add(sysconfig.get_path(key))
    candidates.update(site.getsitepackages())
    candidates.add(os.path.dirname(os.path.realpath(sys.executable)))
    existing = sorted(p for p in (os.path.realpath(c) for c in candidates if c) if os.path.exists(p))
    # Drop paths already covered by a parent in the list.
    kept: list[str] = []
    for path in existing:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return tuple(kept)


def child_environment(*, home: str, hash_seed: int) -> dict[str, str]:
    """The whole environment of the child, built from scratch: no variable of the parent leaks in."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": str(hash_seed),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.update(dict.fromkeys(_THREAD_ENV, "1"))
    return env


@dataclasses.dataclass(frozen=True, slots=True)
class LaunchPlan:
    """Everything needed to start one sandboxed interpreter."""

    argv: list[str]
    """Command line; the worker replaces the exact tokens ``{cmd_fd}``, ``{result_fd}`` and ``{info_fd}``."""
    env: dict[str, str] | None
    cwd: str
    setup: dict[str, Any]
    """The ``setup`` message for the bootstrap: the in-child layers to apply."""
    layers: tuple[str, ...]
    """Parent-side layers in force (the child adds its own after confining itself)."""
    info_fd: bool = False
    """Whether the launcher reports the sandboxed pid on an extra pipe (bubblewrap's ``--info-fd``)."""


class Isolation(abc.ABC):
    """One way of launching a sandboxed interpreter."""

    name: ClassVar[str]

    @classmethod
    @abc.abstractmethod
    def unavailable_reason(cls) -> str | None:
        """``None`` if this tier can run here, else why not (with an install hint)."""

    @abc.abstractmethod
    def plan(
        self,
        *,
        limits: Limits,
        tmp_dir: str,
        read_paths: Sequence[str],
        hash_seed: int,
        counter: str | None = None,
    ) -> LaunchPlan:
        """Build the command line and setup for one interpreter (``counter``: see :mod:`counters`)."""

    @staticmethod
    def _python_argv(counter: str | None, out_dir: str) -> list[str]:
        # -s: no user site; -P: no script dir on sys.path; -B: no .pyc writes. Not -I/-E: the environment is
        # built from scratch by us, and PYTHONHASHSEED must reach the interpreter for deterministic runs.
        python = [sys.executable, "-s", "-P", "-B", str(BOOTSTRAP), "{cmd_fd}", "{result_fd}"]
        if counter != "callgrind":
            return python
        valgrind = shutil.which("valgrind") or "valgrind"
        return [
            valgrind,
            "--tool=callgrind",
            "--instr-atstart=no",
            "-q",
            f"--callgrind-out-file={out_dir}/{CALLGRIND_OUT}",
            *python,
        ]

    @classmethod
    def _setup(
        cls,
        limits: Limits,
        *,
        counter: str | None,
        nproc: bool,
        drop_caps: bool,
        landlock: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The ``setup`` message: the layers the bootstrap applies in the child before loading anything."""
        return {
            "op": "setup",
            "rlimits": cls._rlimits(limits, nproc=nproc, counter=counter),
            "counter": counter,
            "drop_caps": drop_caps,
            "seccomp": confine.seccomp_supported(),
            "landlock": landlock,
        }

    @staticmethod
    def _rlimits(limits: Limits, *, nproc: bool, counter: str | None) -> dict[str, int | None]:
        # The CPU rlimit is a lifetime backstop (per-call CPU is enforced by the parent): generous, but it
        # bounds a worker the parent somehow stopped watching.
        lifetime_cpu = int(max(60.0, 20 * limits.effective_cpu_s)) + 1
        return {
            # valgrind reserves a large address space of its own: give it headroom rather than no limit.
            "AS": (limits.memory_mb + (8192 if counter == "callgrind" else 0)) << 20,
            "FSIZE": limits.file_size_mb << 20,
            "NOFILE": limits.open_files,
            "CORE": 0,
            "CPU": lifetime_cpu,
            # RLIMIT_NPROC counts every process of the uid and does not bind root: only set it when it helps.
            "NPROC": limits.max_processes if nproc else None,
        }


class ProcessIsolation(Isolation):
    """Fresh interpreter + rlimits + dropped capabilities + Landlock + seccomp, without namespaces."""

    name = "process"

    @classmethod
    def unavailable_reason(cls) -> str | None:
        if not sys.platform.startswith("linux"):
            return "the sandbox needs Linux"
        return None

    def plan(
        self,
        *,
        limits: Limits,
        tmp_dir: str,
        read_paths: Sequence[str],
        hash_seed: int,
        counter: str | None = None,
    ) -> LaunchPlan:
        is_root = os.geteuid() == 0
        read = [*interpreter_paths(), str(SANDBOX_DIR), *read_paths, "/dev/urandom", "/dev/zero"]
        # Shared libraries and the dynamic loader live here; reading them exposes nothing private.
        read += [
            p
            for p in ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/etc/ld.so.cache", "/usr/share/zoneinfo")
            if os.path.exists(p)
        ]
        # valgrind implements no Landlock system calls: under callgrind this tier goes without Landlock (the
        # recorded layers say so); prefer the bwrap tier for instruction counting.
        use_landlock = confine.landlock_abi() > 0 and counter != "callgrind"
        landlock = {"read": read, "write": [tmp_dir, "/dev/null"]} if use_landlock else None
        setup = self._setup(limits, counter=counter, nproc=not is_root, drop_caps=is_root, landlock=landlock)
        return LaunchPlan(
            argv=self._python_argv(counter, tmp_dir),
            env=child_environment(home=tmp_dir, hash_seed=hash_seed),
            cwd=tmp_dir,
            setup=setup,
            layers=("fresh-interpreter", "clean-env", "process-group"),
        )


class BwrapIsolation(Isolation):
    """bubblewrap namespaces with an allow-listed read-only filesystem, plus the in-child layers."""

    name = "bwrap"

    @classmethod
    def unavailable_reason(cls) -> str | None:
        return _bwrap_unavailable_reason()

    def plan(
        self,
        *,
        limits: Limits,
        tmp_dir: str,
        read_paths: Sequence[str],
        hash_seed: int,
        counter: str | None = None,
    ) -> LaunchPlan:
        argv = [*_bwrap_namespaces(shutil.which("bwrap") or "bwrap"), "--clearenv"]
        # The private /tmp first: bubblewrap applies mounts in order, so read-only binds of paths that live
        # under the host's /tmp (a venv in a checkout there, say) land on top of it instead of vanishing.
        argv += ["--bind", tmp_dir, "/tmp", "--proc", "/proc", "--dev", "/dev"]
        for path in ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/localtime"):
            argv += ["--ro-bind-try", path, path]
        for path in (*interpreter_paths(), str(SANDBOX_DIR), *read_paths):
            argv += ["--ro-bind", path, path]
        argv += ["--chdir", "/tmp"]
        for key, value in child_environment(home="/tmp", hash_seed=hash_seed).items():
            argv += ["--setenv", key, value]
        argv += ["--info-fd", "{info_fd}", "--", *self._python_argv(counter, "/tmp")]
        # uid 65534 in a new user namespace, so RLIMIT_NPROC binds; bubblewrap already dropped every
        # capability, and the mount namespace already allow-lists the filesystem (no Landlock needed).
        setup = self._setup(limits, counter=counter, nproc=True, drop_caps=False, landlock=None)
        return LaunchPlan(
            argv=argv,
            env={},
            cwd="/",
            setup=setup,
            layers=(
                "fresh-interpreter",
                "clean-env",
                "process-group",
                "bubblewrap",
                "no-network",
                "private-tmp",
                "caps-dropped",
            ),
            info_fd=True,
        )


def _bwrap_namespaces(bwrap: str) -> list[str]:
    """Every namespace new, every capability dropped, uid/gid 65534 inside, dies with its parent."""
    uid = str(SANDBOX_UID)
    return [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--uid", uid,
            "--gid", uid]  # fmt: skip


@functools.cache
def _bwrap_unavailable_reason() -> str | None:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    # Some containers forbid the namespaces bubblewrap needs: try once, for real.
    probe = _bwrap_namespaces(bwrap)
    for path in ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", *interpreter_paths()):
        probe += ["--ro-bind-try", path, path]
    probe += ["--proc", "/proc", "--dev", "/dev", "--", sys.executable, "-s", "-c", "pass"]
    try:
        result = subprocess.run(probe, capture_output=True, timeout=30, check=False, env={})
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap failed to start: {exc}"
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        return f"bubblewrap cannot create its namespaces here: {detail[-1] if detail else result.returncode}"
    return None


ISOLATION_TIERS: dict[str, type[Isolation]] = {
    BwrapIsolation.name: BwrapIsolation,
    ProcessIsolation.name: ProcessIsolation,
}
"""Registry of tiers, strongest first; ``auto`` picks the first available."""


def make_isolation(name: str = "auto") -> Isolation:
    """The isolation tier called ``name`` (``auto``: the strongest available)."""
    if name == "auto":
        for tier in ISOLATION_TIERS.values():
            if tier.unavailable_reason() is None:
                return tier()
        raise SandboxUnavailable(
            "no isolation tier can run on this machine: "
            + "; ".join(f"{n}: {t.unavailable_reason()}" for n, t in ISOLATION_TIERS.items())
        )
    tier_class = ISOLATION_TIERS.get(name)
    if tier_class is None:
        raise InvalidArgument(f"isolation={name!r}: choose one of auto, {', '.join(ISOLATION_TIERS)}")
    reason = tier_class.unavailable_reason()
    if reason is not None:
        raise SandboxUnavailable(f"isolation {name!r} is unavailable: {reason}")
    return tier_class()
