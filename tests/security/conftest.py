"""Shared machinery of the security suite: tiers, running hostile candidates, and looking at the host.

Every test runs a hostile program from ``candidates/`` in both isolation tiers and then checks the *host*:
files, processes, signals, sockets. The candidate's own report is never the only evidence.

Session isolation: while each test of this suite runs, :mod:`tempfile` points at a private session
directory, so every sandbox of this session gets its private tmp dir (``effilab-sandbox-*``) below it. That
makes leftovers attributable to this session even when other effilab runs share the machine, and lets a test
look at a live sandbox's tmp dir from the host (the only ``effilab-sandbox-*`` dir in the session directory).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from effilab.sandbox import ISOLATION_TIERS, Limits, RunRequest, RunResult, Worker, run

CANDIDATES = Path(__file__).parent / "candidates"
TIERS = ("bwrap", "process")
DEFAULT_LIMITS: dict[str, Any] = {"timeout_s": 2.0, "load_timeout_s": 10.0, "memory_mb": 512}
CLEANUP_GRACE_S = 2.0
"""How long a SIGKILLed process may take to disappear from /proc (a bound on a wait, not a sleep)."""


# ---------------------------------------------------------------------------------------------- host view


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(ppid, state, comm) of a live pid, or None."""
    raw = _read(f"/proc/{pid}/stat")
    if not raw:
        return None
    comm = raw[raw.index(b"(") + 1 : raw.rindex(b")")].decode(errors="replace")
    rest = raw[raw.rindex(b")") + 2 :].split()
    return int(rest[1]), rest[0].decode(), comm


def _all_stats() -> dict[int, tuple[int, str, str]]:
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _stat(int(name))
            if stat is not None:
                stats[int(name)] = stat
    return stats


def descendants_of(pid: int, stats: dict[int, tuple[int, str, str]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for child, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(child)
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


class Host:
    """What the host sees of this session's sandboxes."""

    def __init__(self, session_tmp: Path, token: str) -> None:
        self.session_tmp = session_tmp
        self.token = token
        self.stray_marker = f"effistray{token[:6]}"  # a comm name: at most 15 bytes
        self._session_bytes = str(session_tmp).encode()
        self._cgroup_tag = f"/effilab/w{os.getpid()}-".encode()

    def sandbox_dirs(self) -> list[Path]:
        return sorted(self.session_tmp.glob("effilab-sandbox-*"))

    def session_processes(self) -> list[str]:
        """Live (non-zombie) processes that belong to this session's sandboxes, described."""
        me = os.getpid()
        stats = _all_stats()
        mine = descendants_of(me, stats)
        found = []
        for pid, (_ppid, state, comm) in stats.items():
            if pid == me or state in ("Z", "X"):
                continue
            reasons = []
            if pid in mine:
                reasons.append("descendant of pytest")
            cmdline = _read(f"/proc/{pid}/cmdline")
            if self._session_bytes in cmdline:
                reasons.append("session dir in cmdline")
            if self._session_bytes in _read(f"/proc/{pid}/environ"):
                reasons.append("session dir in environ")
            if comm == self.stray_marker:
                reasons.append("stray marker")
            if self._cgroup_tag in _read(f"/proc/{pid}/cgroup"):
                reasons.append("in a pids cgroup of this session")
            if reasons:
                text = cmdline.replace(b"\0", b" ").decode(errors="replace")[:160]
                found.append(f"pid {pid} state {state} comm {comm!r} cmd {text!r}: {', '.join(reasons)}")
        return found

    def processes_with_comm(self, comm: str) -> list[int]:
        return [pid for pid, (_, state, name) in _all_stats().items() if name == comm and state not in "ZX"]

    def wait_until_clean(self, *, check_dirs: bool = True) -> tuple[list[str], list[Path]]:
        """Leftover processes and sandbox dirs, after letting killed processes finish dying."""
        deadline = time.monotonic() + CLEANUP_GRACE_S
        while True:
            procs = self.session_processes()
            dirs = self.sandbox_dirs() if check_dirs else []
            if (not procs and not dirs) or time.monotonic() >= deadline:
                return procs, dirs
            time.sleep(0.01)

    def assert_clean(self, *, check_dirs: bool = True) -> None:
        procs, dirs = self.wait_until_clean(check_dirs=check_dirs)
        assert not procs, f"sandbox processes survived on the host: {procs}"
        assert not dirs, f"sandbox tmp dirs left on the host: {dirs}"


class ProcessSampler:
    """Background thread sampling, on the host, the descendants of this pytest process (the sandbox)."""

    def __init__(self, interval_s: float = 0.005) -> None:
        self.interval_s = interval_s
        self.peak_count = 0
        self.peak_rss_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            stats = _all_stats()
            live = [pid for pid in descendants_of(me, stats) if stats[pid][1] not in "ZX"]
            rss = 0
            for pid in live:
                fields = _read(f"/proc/{pid}/statm").split()
                if len(fields) > 1:
                    rss += int(fields[1]) * self._page_kib
            self.peak_count = max(self.peak_count, len(live))
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            self.samples += 1
            self._stop.wait(self.interval_s)

    def __enter__(self) -> ProcessSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Host]:
    tmp_path_factory.getbasetemp()  # fix pytest's own temp root before tempfile is redirected
    token = uuid.uuid4().hex
    session_tmp = Path(tempfile.mkdtemp(prefix=f"effilab-sectest-{token[:8]}-"))
    yield Host(session_tmp, token)
    with contextlib.suppress(OSError):
        session_tmp.rmdir()  # only when empty: leftovers are reported by test_zz_no_leftovers


@pytest.fixture(autouse=True)
def _sandbox_tmp_in_session_dir(host: Host) -> Iterator[Host]:
    """While a test of this suite runs, sandboxes create their private tmp dir in the session directory."""
    previous = tempfile.tempdir
    tempfile.tempdir = str(host.session_tmp)
    try:
        yield host
    finally:
        tempfile.tempdir = previous


@pytest.fixture(params=TIERS)
def tier(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    reason = ISOLATION_TIERS[name].unavailable_reason()
    if reason is not None:
        pytest.skip(f"isolation tier {name!r} unavailable: {reason}")
    return name


def candidate_source(name: str) -> bytes:
    return (CANDIDATES / f"{name}.py").read_bytes()


def make_limits(**overrides: Any) -> Limits:
    return Limits(**{**DEFAULT_LIMITS, **overrides})


RunCandidate = Callable[..., RunResult]


@pytest.fixture
def run_candidate(host: Host) -> RunCandidate:
    """``run_candidate(name, tier, args=(), **limits)``: run ``candidates/<name>.py`` once, then check that
    the sandbox left nothing on the host (no process, no tmp dir)."""

    def _run(
        name: str,
        tier: str,
        args: Sequence[object] = (),
        *,
        entry: str = "f",
        calls: Sequence[Sequence[object]] | None = None,
        source: bytes | None = None,
        **limits: Any,
    ) -> RunResult:
        request = RunRequest(
            source=candidate_source(name) if source is None else source,
            entry=entry,
            calls=[tuple(args)] if calls is None else calls,
            filename=f"{name}.py",
            limits=make_limits(**limits),
            isolation=tier,
        )
        result = run(request)
        assert result.isolation == tier
        host.assert_clean()
        return result

    return _run


@pytest.fixture
def open_worker(host: Host) -> Callable[..., contextlib.AbstractContextManager[tuple[Worker, Path]]]:
    """``with open_worker(name, tier, **limits) as (worker, sandbox_dir):`` a loaded worker plus the host path
    of its private tmp dir, so a test can look at what the candidate managed to create there."""

    @contextlib.contextmanager
    def _open(name: str, tier: str, *, entry: str = "f", **limits: Any) -> Iterator[tuple[Worker, Path]]:
        with Worker(limits=make_limits(**limits), isolation=tier) as worker:
            dirs = host.sandbox_dirs()
            assert len(dirs) == 1, f"expected exactly one live sandbox dir, found {dirs}"
            load = worker.load(candidate_source(name), entry=entry, filename=f"{name}.py")
            assert load.verdict == "ok", load
            yield worker, dirs[0]
        host.assert_clean()

    return _open


# ---------------------------------------------------------------------------------------------- host services


@pytest.fixture
def process_sampler() -> type[ProcessSampler]:
    """``with process_sampler() as s: ...`` then ``s.peak_count`` / ``s.peak_rss_kib`` of the sandbox."""
    return ProcessSampler


class SignalRecorder:
    """Records deliveries of a signal whose default action is to be ignored (harmless to other processes)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.received: list[int] = []

    def handler(self, signum: int, frame: object) -> None:
        self.received.append(signum)


@pytest.fixture
def sigurg_recorder() -> Iterator[SignalRecorder]:
    """SIGURG's default action is "ignore", so a sandbox that wrongly broadcasts it hurts nobody, while a
    handler in this process notices it."""
    recorder = SignalRecorder(signal.SIGURG)
    previous = signal.signal(signal.SIGURG, recorder.handler)
    try:
        yield recorder
    finally:
        signal.signal(signal.SIGURG, previous)


class Listener:
    """TCP and UDP servers on 127.0.0.1 recording anything that reaches them."""

    def __init__(self) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.tcp.settimeout(0.05)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.settimeout(0.05)
        self.tcp_port = self.tcp.getsockname()[1]
        self.udp_port = self.udp.getsockname()[1]
        self.connections: list[tuple[object, bytes]] = []
        self.datagrams: list[tuple[object, bytes]] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._serve_tcp, daemon=True),
            threading.Thread(target=self._serve_udp, daemon=True),
        ]

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.tcp.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    data = conn.recv(4096)
                except OSError:
                    data = b""
                self.connections.append((addr, data))

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                data, addr = self.udp.recvfrom(4096)
            except TimeoutError:
                continue
            self.datagrams.append((addr, data))

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop serving, then collect whatever is still queued (a connection in the backlog counts)."""
        if self._stop.is_set():
            return
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.tcp.setblocking(False)
        self.udp.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            while True:
                conn, addr = self.tcp.accept()
                self.connections.append((addr, b"<queued>"))
                conn.close()
        with contextlib.suppress(BlockingIOError):
            while True:
                self.datagrams.append(self.udp.recvfrom(4096)[::-1])
        self.tcp.close()
        self.udp.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.start()
    try:
        yield server
    finally:
        server.stop()
