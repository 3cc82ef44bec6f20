"""Boxes: sandboxes for whole programs, launched ahead of need and used once each.

A box is one sandbox for one run of one program: bubblewrap namespaces (every namespace new, no network,
uid 65534, all capabilities dropped, a read-only ``/box`` with the program's files, a private writable
``/tmp``, nothing else unless the profile asks for the system's ``/usr`` and ``/lib``) and effilab's seccomp
filter. Without bubblewrap (the ``process`` tier) a trusted shim (:mod:`._progboot`) confines itself with
Landlock, dropped capabilities and seccomp before it execs the program.

**Why ahead of need.** Creating namespaces costs several milliseconds of *waiting* on this kind of host
(``unshare -n`` ≈ 3 ms wall, 1 ms CPU), more than a trivial program's whole run. bubblewrap's
``--block-fd`` stops a fully set-up box just before it starts the program: so the next box is launched
while the current program runs, and a run only pays for unblocking it. Each box still serves exactly one
run (fresh namespaces, fresh private /tmp): nothing a program leaves behind reaches another run.

**Why the end of a run is cheap too.** When the program (pid 1 of its namespaces) exits, the kernel tears
its namespaces down in the exiting task before its parent hears of it (the mount namespace's unmounting
waits for an RCU grace period): ~0.3-0.5 ms on this host, on the path of every run. The parent holds a
descriptor of each of the blocked box's namespaces (``/proc/<child>/ns/*``, close-on-exec, never passed
on), so the program's exit only drops a reference; the teardown happens when the used box is closed, in the
pool's background thread. Nothing can enter a namespace through these descriptors but effilab itself. And
the parent learns that the program ended from bubblewrap's ``--json-status-fd`` (written by its monitor
process right after reaping the program, when every process of the box's pid namespace is dead), without
waiting for the monitor to exit and close its copies of the output pipes.

**Why nothing runs unaccounted.** While the box is blocked its only processes are bubblewrap's own; the
parent puts them in a fresh CPU-accounting cgroup and a ``pids`` cgroup and sets the resource limits of the
process that will exec the program (``prlimit``) *before* unblocking it, so every process the program
creates is counted by the kernel (see :mod:`effilab.sandbox.accounting`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from effilab.errors import InvalidArgument, SandboxError, SandboxUnavailable
from effilab.programs.limits import ProgramLimits
from effilab.sandbox import confine
from effilab.sandbox.accounting import SandboxAccount
from effilab.sandbox.cgroups import PidsCgroup, pids_cgroup_root
from effilab.sandbox.isolation import SANDBOX_DIR, SANDBOX_UID, interpreter_paths, make_isolation

__all__ = ["Box", "BoxPool", "Profile", "box_tier"]

PROGBOOT = Path(__file__).resolve().parent / "_progboot.py"
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/localtime")
_NAMESPACES = ("mnt", "net", "ipc", "uts", "user", "cgroup", "pid")
_INNER_PID = 1  # the program is pid 1 of its namespace (--as-pid-1): when it exits, every process left dies
_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8", "OMP_NUM_THREADS": "1"}  # fmt: skip


@dataclasses.dataclass(frozen=True, slots=True)
class Profile:
    """What a box contains and runs. ``{box}`` and ``{tmp}`` in ``argv`` name the box's two directories."""

    name: str
    argv: tuple[str, ...]
    """The program's command line (for ``mode="python"``: ignored; the shim runs ``{box}/<source>``)."""
    mode: str = "exec"
    """``exec``: exec ``argv``; ``python``: the trusted shim runs the Python source ``source``."""
    source: str = ""
    """File name of the Python program inside ``{box}`` (mode python)."""
    system: bool = False
    """Read-only ``/usr``, ``/lib``, ... (dynamic binaries, interpreters, compilers)."""
    read_paths: tuple[str, ...] = ()
    """More host paths visible read-only at the same place."""
    exec_paths: tuple[str, ...] | None = None
    """Only these may be executed after the start (a compiler's own tools); None: not restricted by Landlock
    (in bwrap the filesystem is the limit: a native program's box holds nothing else to execute)."""
    env: tuple[tuple[str, str], ...] = ()
    wrapper: tuple[str, ...] = ()
    """Command that runs the program (or the shim's interpreter) under it: the instruction counter."""

    @property
    def needs_shim(self) -> bool:
        return self.mode == "python" or self.exec_paths is not None


def box_tier(isolation: str = "auto") -> str:
    """The tier boxes use: ``bwrap`` or ``process`` (raises when the requested one cannot run here)."""
    return make_isolation(isolation).name


@functools.cache
def _seccomp_bytes(allow_exec: bool) -> bytes:
    return confine.seccomp_program_bytes(_INNER_PID, allow_exec=allow_exec)


class Box:
    """One launched, still blocked sandbox. :meth:`start` lets the program run; the caller then owns
    :attr:`proc` (stdout and stderr pipes) until :meth:`close`."""

    def __init__(self, profile: Profile, tier: str, base_dir: str | None) -> None:
        self.profile = profile
        self.tier = tier
        self.account: SandboxAccount | None = None
        self.cpu_start: int | None = None
        """The box's CPU account when it was prepared (blocked boxes do not run): a run's starting point."""
        self._cgroup: PidsCgroup | None = None
        self._ns_fds: list[int] = []
        self.placed: tuple[object, ...] | None = None
        """What :meth:`place` put in ``/box`` (files, the executable one), not to place it again."""
        self.status_fd = -1
        """bwrap tier: bubblewrap's ``--json-status-fd`` (``{"exit-code": N}`` once the program is reaped)."""
        self.root = Path(tempfile.mkdtemp(prefix="effilab-box-", dir=base_dir))
        self.box_dir = self.root / "box"
        self.tmp_dir = self.root / "tmp"
        self.box_dir.mkdir()
        self.tmp_dir.mkdir()
        os.chmod(self.root, 0o755)
        os.chmod(self.box_dir, 0o755)
        os.chmod(self.tmp_dir, 0o777)  # uid 65534 inside the box writes here
        # stdin is a regular file the parent fills (pwrite, offset untouched) just before unblocking.
        self._stdin_fd = os.open(self.root / "stdin", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        block_r, self._block_w = os.pipe()
        self._info_r = -1
        pass_fds = [block_r]
        try:
            if tier != "bwrap" and profile.wrapper:
                raise SandboxUnavailable("counting a program's instructions needs the bwrap tier")
            if tier == "bwrap":
                argv, extra_fds = self._bwrap_argv(block_r)
            else:
                argv, extra_fds = self._process_argv(block_r), []
            pass_fds += extra_fds
            self.proc = subprocess.Popen(
                argv,
                stdin=self._stdin_fd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=pass_fds,
                env={} if tier == "bwrap" else dict(_ENV, HOME=str(self.tmp_dir), TMPDIR=str(self.tmp_dir)),
                cwd=str(self.tmp_dir),
                start_new_session=True,
            )
        except BaseException:
            self.close()
            raise
        finally:
            for fd in pass_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    # ------------------------------------------------------------------------------------------ launch
    def _shim_config(self, *, box: str, tmp: str, block_fd: int | None) -> str:
        profile = self.profile
        landlock = None
        if self.tier == "process" or profile.exec_paths is not None:
            read = [*interpreter_paths(), str(SANDBOX_DIR), str(PROGBOOT.parent), box, *profile.read_paths]
            if profile.system or self.tier == "process":
                read += [p for p in SYSTEM_PATHS if os.path.exists(p)]
            if profile.exec_paths is not None:
                exec_paths: list[str] | None = list(profile.exec_paths)
            elif profile.mode == "exec":
                # Without namespaces the host's programs are visible: only the program itself may run.
                exec_paths = [profile.argv[0].format(box=box, tmp=tmp)]
            else:
                exec_paths = []  # a Python program runs inside the shim's interpreter; seccomp denies exec
            landlock = {"read": read, "write": [tmp, "/dev/null"], "exec": exec_paths}
            if confine.landlock_abi() <= 0:
                landlock = None
        return json.dumps({
            "mode": profile.mode,
            "argv": [a.format(box=box, tmp=tmp) for a in profile.argv],
            "source": f"{box}/{profile.source}",
            "env": dict(_ENV, HOME=tmp, TMPDIR=tmp, **dict(profile.env)),
            "sandbox_dir": str(SANDBOX_DIR),
            "landlock": landlock,
            "seccomp": confine.seccomp_supported(),
            "drop_caps": self.tier == "process" and os.geteuid() == 0,
            "block_fd": block_fd,
        })  # fmt: skip

    def _shim_argv(self, config: str) -> list[str]:
        return [sys.executable, "-s", "-P", "-B", str(PROGBOOT), config]

    def _bwrap_argv(self, block_r: int) -> tuple[list[str], list[int]]:
        profile = self.profile
        uid = str(SANDBOX_UID)
        argv = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
                "--cap-drop", "ALL", "--uid", uid, "--gid", uid, "--clearenv",
                "--bind", str(self.tmp_dir), "/tmp", "--ro-bind", str(self.box_dir), "/box",
                "--dev", "/dev", "--chdir", "/tmp", "--as-pid-1"]  # fmt: skip
        if profile.system or profile.needs_shim:
            for path in SYSTEM_PATHS:
                argv += ["--ro-bind-try", path, path]
            argv += ["--proc", "/proc"]
        read = list(profile.read_paths)
        if profile.needs_shim:
            read += [*interpreter_paths(), str(SANDBOX_DIR), str(PROGBOOT.parent)]
        for path in dict.fromkeys(read):
            argv += ["--ro-bind", path, path]
        for key, value in dict(_ENV, HOME="/tmp", TMPDIR="/tmp", **dict(profile.env)).items():
            argv += ["--setenv", key, value]
        seccomp_r, seccomp_w = os.pipe()
        # The filter is at most a few kB: far below a pipe's buffer, so this write cannot block.
        os.write(seccomp_w, _seccomp_bytes(allow_exec=True))
        os.close(seccomp_w)
        info_r, info_w = os.pipe()
        self._info_r = info_r
        status_r, status_w = os.pipe2(os.O_CLOEXEC)
        self.status_fd = status_r
        argv += ["--seccomp", str(seccomp_r), "--block-fd", str(block_r), "--info-fd", str(info_w),
                 "--json-status-fd", str(status_w), "--"]  # fmt: skip
        argv += [a.format(box="/box", tmp="/tmp") for a in profile.wrapper]
        if profile.needs_shim:
            argv += self._shim_argv(self._shim_config(box="/box", tmp="/tmp", block_fd=None))
        else:
            argv += [a.format(box="/box", tmp="/tmp") for a in profile.argv]
        return argv, [seccomp_r, info_w, status_w]

    def _process_argv(self, block_r: int) -> list[str]:
        config = self._shim_config(box=str(self.box_dir), tmp=str(self.tmp_dir), block_fd=block_r)
        return self._shim_argv(config)

    # ------------------------------------------------------------------------------------------ run
    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def sandbox_pids(self) -> list[int]:
        """The box's processes while it is blocked (outer bubblewrap and its namespace child, or the shim)."""
        pids = [self.proc.pid]
        if self._info_r >= 0:
            data = b""
            while not data.rstrip().endswith(b"}"):
                chunk = os.read(self._info_r, 4096)
                if not chunk:
                    break
                data += chunk
            os.close(self._info_r)
            self._info_r = -1
            try:
                pids.append(int(json.loads(data)["child-pid"]))
            except (ValueError, KeyError, TypeError) as exc:
                raise SandboxError(f"bubblewrap did not report its child: {data[:200]!r}") from exc
        return pids

    def prepare(self, limits: ProgramLimits) -> None:
        """Account for the blocked box and limit it: cgroups hold its processes, rlimits are set."""
        pids = self.sandbox_pids()
        if not self.alive:
            err = self.proc.stderr.read() if self.proc.stderr else b""
            raise SandboxError(f"the {self.tier} box died before its run: {err[-300:]!r}")
        self.account = SandboxAccount.create(pids, lambda: self.proc.pid)
        root = pids_cgroup_root()
        if root is not None:
            self._cgroup = PidsCgroup(root, limits.max_processes + len(pids))
            for pid in pids:
                self._cgroup.add(pid)
        self.set_limits(pids[-1], limits)
        if self.tier == "bwrap":
            self._hold_namespaces(pids[-1])
        self.cpu_start = self.account.cpu_ns()

    def _hold_namespaces(self, child: int) -> None:
        """Keep the blocked box's namespaces referenced, so that their teardown is not on the run's path."""
        for name in _NAMESPACES:
            try:
                self._ns_fds.append(os.open(f"/proc/{child}/ns/{name}", os.O_RDONLY | os.O_CLOEXEC))
            except OSError:
                continue  # a namespace this kernel does not have: nothing to hold

    def set_limits(self, pid: int, limits: ProgramLimits) -> None:
        """Resource limits of ``pid`` (inherited by the program it execs), set from outside."""
        memory = limits.memory_mb << 20
        if self.profile.needs_shim:
            memory += 256 << 20  # the shim's interpreter (or the compiler driver) needs its own room
        # RLIMIT_CPU is a backstop only: the parent enforces the CPU limit from the cgroup's account.
        cpu = int(limits.effective_cpu_s) + 2
        for which, value in (
            (resource.RLIMIT_AS, memory),
            (resource.RLIMIT_FSIZE, limits.file_size_mb << 20),
            (resource.RLIMIT_NOFILE, limits.open_files),
            (resource.RLIMIT_CORE, 0),
            (resource.RLIMIT_CPU, cpu),
        ):
            resource.prlimit(pid, which, (value, value))

    def put(self, name: str, data: bytes | Path, *, executable: bool = False) -> None:
        """Place a file in the box's read-only ``/box`` (a hard link when possible, else a copy)."""
        target = self.box_dir / name
        if isinstance(data, Path):
            try:
                os.link(data, target)
            except OSError:
                shutil.copyfile(data, target)
        else:
            target.write_bytes(data)
        os.chmod(target, 0o755 if executable else 0o644)

    def place(self, files: Mapping[str, bytes | Path], executable: str | None) -> None:
        """Give the box exactly ``files`` (``executable``: the one to mark executable), unless it has them.

        The pool places the files of a box's previous run in the next box ahead of need; a file given as a
        path counts as the same only while the path still names the same file (device and inode).
        """
        key = _files_key(files, executable)
        if key == self.placed:
            return
        self.placed = None
        for old in self.box_dir.iterdir():
            old.unlink()
        for name, data in files.items():
            self.put(name, data, executable=name == executable)
        self.placed = key

    def start(self, stdin: bytes) -> None:
        """Give the program its input and let it run."""
        os.pwrite(self._stdin_fd, stdin, 0)
        os.write(self._block_w, b"x")
        os.close(self._block_w)
        self._block_w = -1

    def close(self) -> None:
        """Kill whatever is left and remove the box's directories."""
        proc = getattr(self, "proc", None)
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, 9)
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        for fd in (self._stdin_fd, self._block_w, self._info_r, self.status_fd, *self._ns_fds):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)  # the last namespace descriptor: the kernel tears the namespaces down
        self._stdin_fd = self._block_w = self._info_r = self.status_fd = -1
        self._ns_fds = []
        if self._cgroup is not None:
            self._cgroup.remove()
            self._cgroup = None
        if self.account is not None:
            self.account.close()
            self.account = None
        shutil.rmtree(self.root, ignore_errors=True)


class BoxPool:
    """Prepares boxes ahead of need and cleans used ones up, off the caller's path.

    One background thread launches the next box for a (profile, limits) pair as soon as one is taken, and
    removes used boxes; it owns every box it launched, so ``--die-with-parent`` (which follows the launching
    thread) holds as long as the pool lives. ``ahead=False`` prepares every box on demand in the caller's
    thread (the cold start, for comparison in benchmarks).
    """

    def __init__(self, *, isolation: str = "auto", ahead: bool = True, base_dir: str | None = None) -> None:
        if isolation not in ("auto", "bwrap", "process"):
            raise InvalidArgument(f"isolation={isolation!r}: choose one of auto, bwrap, process")
        self.tier = box_tier(isolation)
        self.ahead = ahead
        self.base_dir = base_dir
        self._spare: dict[tuple[Profile, ProgramLimits], Future[Box]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="effilab-boxes")

    @property
    def layers(self) -> tuple[str, ...]:
        if self.tier == "bwrap":
            return ("bubblewrap", "no-network", "private-tmp", "caps-dropped", "seccomp", "rlimits",
                    "pids-cgroup", "cgroup-accounting")  # fmt: skip
        layers = ["process-group", "rlimits", "pids-cgroup", "cgroup-accounting"]
        if confine.landlock_abi() > 0:
            layers.append("landlock")
        if confine.seccomp_supported():
            layers.append("seccomp")
        return tuple(layers)

    def _new(
        self,
        profile: Profile,
        limits: ProgramLimits,
        files: Mapping[str, bytes | Path] | None = None,
        executable: str | None = None,
    ) -> Box:
        box = Box(profile, self.tier, self.base_dir)
        try:
            box.prepare(limits)
            if files is not None:
                box.place(files, executable)  # the next run most likely runs the same program
        except BaseException:
            box.close()
            raise
        return box

    def take(
        self,
        profile: Profile,
        limits: ProgramLimits,
        files: Mapping[str, bytes | Path] | None = None,
        executable: str | None = None,
    ) -> Box:
        """A prepared box (blocked, accounted, limited) for one run; give it back with :meth:`release`.

        ``files``: what ``/box`` must hold (placed unless the box was prepared with them already).
        """
        box = self._take(profile, limits)
        if files is not None:
            try:
                box.place(files, executable)
            except BaseException:
                box.close()
                raise
        return box

    def _take(self, profile: Profile, limits: ProgramLimits) -> Box:
        if self._closed:
            raise SandboxError("the box pool is closed")
        key = (profile, limits)
        with self._lock:
            future = self._spare.pop(key, None)
        box: Box | None = None
        if future is not None:
            try:
                box = future.result()
            except (OSError, SandboxError):
                box = None
            if box is not None and not box.alive:
                box.close()
                box = None
        return box if box is not None else self._new(profile, limits)

    def release(
        self,
        box: Box,
        limits: ProgramLimits,
        files: Mapping[str, bytes | Path] | None = None,
        executable: str | None = None,
    ) -> None:
        """Remove a used box and, preparing ahead, start the next of its kind, both in the background.

        The next box is launched here rather than when this one was taken, so that launching it (a fork of
        this process, namespaces, cgroups) never competes with the run being measured.
        """
        if not self.ahead or self._closed:
            box.close()
            return
        self._thread.submit(box.close)
        key = (box.profile, limits)
        with self._lock:
            if key not in self._spare:
                self._spare[key] = self._thread.submit(self._new, box.profile, limits, files, executable)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            spares, self._spare = list(self._spare.values()), {}
        for future in spares:
            with contextlib.suppress(Exception):
                future.result().close()
        self._thread.shutdown(wait=True)

    def __enter__(self) -> BoxPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _files_key(files: Mapping[str, bytes | Path], executable: str | None) -> tuple[object, ...]:
    parts: list[object] = [executable]
    for name, data in sorted(files.items()):
        if isinstance(data, Path):
            try:
                info = os.stat(data)
            except OSError:
                return (object(),)  # equal to nothing: placing it will report the error
            parts.append((name, str(data), info.st_dev, info.st_ino))
        else:
            parts.append((name, bytes(data)))
    return tuple(parts)


def profile_paths(paths: Sequence[str]) -> tuple[str, ...]:
    """Existing, absolute, deduplicated paths (a helper for language plugins)."""
    return tuple(dict.fromkeys(os.path.realpath(p) for p in paths if os.path.exists(p)))
