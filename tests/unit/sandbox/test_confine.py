"""Tests for effilab.sandbox.confine.

Confinement is irreversible, so nothing here confines the pytest process: every behavioural test runs a
fresh ``python -I -c SCRIPT`` that imports ``confine`` standalone by path (as the sandbox bootstrap does),
confines itself, tries things and prints a JSON report. The tests then check the report *and*, where it
matters, that the effect did not happen (victim process still alive, file not created, no TCP connection).
The seccomp program itself is also checked in-process with a small classic-BPF interpreter.
"""

from __future__ import annotations

import ast
import errno
import json
import os
import socket
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from effilab.sandbox import confine

SANDBOX_DIR = Path(confine.__file__).resolve().parent
CONFINE_PATH = SANDBOX_DIR / "confine.py"

SECCOMP = confine.seccomp_supported()
LANDLOCK_ABI = confine.landlock_abi()
IS_ROOT = os.geteuid() == 0

needs_seccomp = pytest.mark.skipif(not SECCOMP, reason="seccomp filter is only implemented for x86_64 Linux")
needs_landlock = pytest.mark.skipif(LANDLOCK_ABI == 0, reason="Landlock is not available in this kernel")
needs_root = pytest.mark.skipif(not IS_ROOT, reason="capability dropping is only observable as root")

# Runs first in every child. P holds the test's parameters (passed as argv[1], so no string formatting).
_PRELUDE = """
import ctypes, json, os, sys
P = json.loads(sys.argv[1])
sys.path.insert(0, P["sandbox_dir"])
import confine
R = {}
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

def attempt(fn):
    try:
        value = fn()
    except (OSError, ValueError) as exc:
        err = getattr(exc, "errno", None)
        return {"ok": False, "type": type(exc).__name__, "errno": err, "msg": str(exc)}
    return {"ok": True, "value": value}

def raw(nr, *args):
    ctypes.set_errno(0)
    ret = _libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
    return {"ret": ret, "errno": ctypes.get_errno() if ret == -1 else 0}
"""


def run_child(body: str, **params: Any) -> dict[str, Any]:
    """Run PRELUDE + body in a fresh isolated interpreter; return the JSON object it prints last."""
    params["sandbox_dir"] = str(SANDBOX_DIR)
    script = _PRELUDE + textwrap.dedent(body) + "\nprint(json.dumps(R))\n"
    proc = subprocess.run(
        [sys.executable, "-I", "-c", script, json.dumps(params)],
        capture_output=True,
        text=True,
        timeout=20,
        start_new_session=True,  # kill(0, ...) is allowed by the filter: keep it away from pytest's group
        check=False,
    )
    assert proc.returncode == 0, f"child failed (rc={proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
    lines = proc.stdout.strip().splitlines()
    assert lines, f"child printed nothing:\n{proc.stderr}"
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def denied(entry: dict[str, Any], err: int = errno.EPERM) -> bool:
    return entry["ok"] is False and entry["errno"] == err


@pytest.fixture(scope="module")
def victim() -> Iterator[subprocess.Popen[bytes]]:
    """An innocent process outside the sandbox that the confined child tries to harm."""
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


def _tracer_pid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("TracerPid:"):
            return int(line.split()[1])
    raise AssertionError("no TracerPid line")


# --------------------------------------------------------------------------------------------------------
# Module hygiene and the BPF program (in-process; nothing is installed)
# --------------------------------------------------------------------------------------------------------


def test_confine_imports_only_the_standard_library() -> None:
    tree = ast.parse(CONFINE_PATH.read_text())
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports break the standalone import by path"
            assert node.module is not None
            modules.add(node.module.split(".")[0])
    assert modules - {"__future__"} <= set(sys.stdlib_module_names), modules


def test_public_api() -> None:
    assert set(confine.__all__) >= {
        "seccomp_supported",
        "landlock_abi",
        "set_no_new_privs",
        "drop_capabilities",
        "install_seccomp",
        "install_landlock",
    }
    assert isinstance(confine.landlock_abi(), int)
    assert confine.landlock_abi() >= 0


_LD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW = 0x7FFF0000
_KILL_PROCESS = 0x80000000
_EPERM = 0x00050000 | errno.EPERM
_ENOSYS = 0x00050000 | errno.ENOSYS
_X86_64 = 0xC000003E
OWN_PID = 4242


def _program() -> list[tuple[int, int, int, int]]:
    packed = confine._pack_program(confine._build_seccomp_program(OWN_PID))
    assert len(packed) % 8 == 0
    return [struct.unpack_from("HBBI", packed, offset) for offset in range(0, len(packed), 8)]


def evaluate(prog: list[tuple[int, int, int, int]], nr: int, *args: int, arch: int = _X86_64) -> int:
    """Run a classic-BPF seccomp program on one struct seccomp_data; return the action."""
    full_args = [a & 0xFFFFFFFFFFFFFFFF for a in (*args, 0, 0, 0, 0, 0, 0)[:6]]
    data = struct.pack("<IIQ6Q", nr & 0xFFFFFFFF, arch, 0, *full_args)
    acc, pc = 0, 0
    for _ in range(len(prog) + 1):
        code, jt, jf, k = prog[pc]
        if code == _LD:
            acc = struct.unpack_from("<I", data, k)[0]
            pc += 1
        elif code in (_JEQ, _JGE, _JSET):
            taken = {_JEQ: acc == k, _JGE: acc >= k, _JSET: acc & k != 0}[code]
            pc += 1 + (jt if taken else jf)
        elif code == _RET:
            return k
        else:
            raise AssertionError(f"unexpected opcode {code:#x}")
    raise AssertionError("program did not return")


def test_program_is_well_formed() -> None:
    prog = _program()
    assert 0 < len(prog) <= 4096
    assert prog[-1] == (_RET, 0, 0, _ALLOW)
    for pc, (code, jt, jf, _k) in enumerate(prog):
        assert code in (_LD, _JEQ, _JGE, _JSET, _RET)
        if code in (_JEQ, _JGE, _JSET):
            assert pc + 1 + max(jt, jf) < len(prog), f"jump out of program at {pc}"


DENY_LIST = [
    "execve", "execveat", "socket", "connect", "accept", "bind", "listen", "accept4", "ptrace",
    "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "chroot", "swapon",
    "swapoff", "reboot", "sethostname", "setdomainname", "acct", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "bpf", "perf_event_open", "userfaultfd", "unshare", "setns", "keyctl", "add_key",
    "request_key", "open_by_handle_at", "name_to_handle_at", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "setsid", "setpgid", "tkill", "pidfd_send_signal", "pidfd_open", "pidfd_getfd",
    "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "quotactl",
    "lookup_dcookie", "vhangup", "iopl", "ioperm", "personality", "setuid", "setgid", "setreuid",
    "setregid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid", "capset", "syslog",
]  # fmt: skip


@pytest.mark.parametrize("name", DENY_LIST)
def test_program_denies(name: str) -> None:
    assert evaluate(_program(), confine.X86_64_SYSCALLS[name]) == _EPERM


@pytest.mark.parametrize(
    "name", ["read", "write", "openat", "mmap", "prctl", "socketpair", "seccomp", "landlock_restrict_self"]
)
def test_program_allows_ordinary_calls(name: str) -> None:
    numbers = {"read": 0, "write": 1, "openat": 257, "mmap": 9, **confine.X86_64_SYSCALLS}
    numbers["prctl"] = 157
    assert evaluate(_program(), numbers[name], 1, 2, 3) == _ALLOW


def test_program_architecture_and_x32() -> None:
    prog = _program()
    assert evaluate(prog, 0, arch=0x40000003) == _KILL_PROCESS  # AUDIT_ARCH_I386
    assert evaluate(prog, 0x40000000 | 0) == _EPERM  # x32 read
    assert evaluate(prog, 0xFFFFFFFF) == _EPERM  # nr -1 is >= the x32 bit as unsigned
    assert evaluate(prog, confine.X86_64_SYSCALLS["clone3"]) == _ENOSYS


@pytest.mark.parametrize(
    ("flags", "action"),
    [
        (0x003D0F00, _ALLOW),  # glibc pthread_create: CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|...
        (0x01200011, _ALLOW),  # fork(): CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
        (0x00004111, _ALLOW),  # posix_spawn: CLONE_VM|CLONE_VFORK|SIGCHLD
        (0x00020000, _EPERM),
        (0x02000000, _EPERM),
        (0x04000000, _EPERM),
        (0x08000000, _EPERM),
        (0x10000000 | 17, _EPERM),
        (0x20000000, _EPERM),
        (0x40000000, _EPERM),
        (0xFFFFFFFF_00000011, _ALLOW),  # the kernel only looks at the low 32 bits
    ],
)
def test_program_clone_flags(flags: int, action: int) -> None:
    assert evaluate(_program(), confine.X86_64_SYSCALLS["clone"], flags) == action


def test_program_signals() -> None:
    prog = _program()
    kill, tgkill = confine.X86_64_SYSCALLS["kill"], confine.X86_64_SYSCALLS["tgkill"]
    assert evaluate(prog, kill, OWN_PID, 9) == _ALLOW
    assert evaluate(prog, kill, 0, 9) == _ALLOW
    assert evaluate(prog, kill, -1, 9) == _EPERM
    assert evaluate(prog, kill, -OWN_PID, 9) == _EPERM
    assert evaluate(prog, kill, 1, 9) == _EPERM
    assert evaluate(prog, kill, OWN_PID + 1, 9) == _EPERM
    assert evaluate(prog, tgkill, OWN_PID, 777, 9) == _ALLOW
    assert evaluate(prog, tgkill, 0, 777, 9) == _EPERM
    assert evaluate(prog, tgkill, 1, 1, 9) == _EPERM
    for name in ("rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        assert evaluate(prog, confine.X86_64_SYSCALLS[name], OWN_PID, 9) == _ALLOW
        assert evaluate(prog, confine.X86_64_SYSCALLS[name], 1, 9) == _EPERM


def test_program_terminal_injection() -> None:
    prog = _program()
    ioctl = confine.X86_64_SYSCALLS["ioctl"]
    assert evaluate(prog, ioctl, 0, 0x5412) == _EPERM  # TIOCSTI
    assert evaluate(prog, ioctl, 0, 0x541C) == _EPERM  # TIOCLINUX
    assert evaluate(prog, ioctl, 0, 0x5401) == _ALLOW  # TCGETS


def test_install_seccomp_rejects_bad_pid() -> None:
    with pytest.raises(ValueError, match="own_pid"):
        confine.install_seccomp(own_pid=0)


# --------------------------------------------------------------------------------------------------------
# seccomp, installed in a child
# --------------------------------------------------------------------------------------------------------

_SECCOMP_PROBES = """
import signal, socket, subprocess, threading

CLONE_NEWUSER = 0x10000000
victim = P.get("victim", 0)

def socket_pair():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"ping")
        return b.recv(4).decode()

def thread_runs():
    box = []
    t = threading.Thread(target=lambda: box.append(threading.get_ident()))
    t.start()
    t.join()
    return len(box)

def fork_works():
    pid = os.fork()
    if pid == 0:
        os._exit(7)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

def raw_clone(flags):
    r = raw(56, flags | signal.SIGCHLD, 0, 0, 0, 0)
    if r["ret"] == 0:  # only if the filter failed: we are the child
        os._exit(0)
    if r["ret"] > 0:
        os.waitpid(r["ret"], 0)
    return r

def in_fork(fn):
    # Run fn in a forked child (which, unlike us, is no session or group leader); 0 or 100 + errno.
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        except OSError as exc:
            os._exit(100 + exc.errno)
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

caught = []
signal.signal(signal.SIGUSR1, lambda *_: caught.append(1))

def own_signal():
    os.kill(os.getpid(), signal.SIGUSR1)
    signal.raise_signal(signal.SIGUSR1)  # glibc raise() -> tgkill(getpid(), gettid(), sig)
    return len(caught)

CONTROLS = {
    "socket": lambda: socket.socket().close(),
    "setsid": lambda: in_fork(os.setsid),
    "setpgid": lambda: in_fork(lambda: os.setpgid(0, 0)),
    "kill_parent": lambda: os.kill(os.getppid(), 0),
    "kill_all": lambda: os.kill(-1, 0),
    "unshare_0": lambda: raw(272, 0),
    "personality_query": lambda: raw(135, 0xFFFFFFFF),
}
"""


@pytest.fixture(scope="module")
def seccomp_report(victim: subprocess.Popen[bytes]) -> dict[str, Any]:
    if not SECCOMP:
        pytest.skip("seccomp filter is only implemented for x86_64 Linux")
    body = (
        _SECCOMP_PROBES
        + """
# A thread that exists before the filter is installed must be filtered too (TSYNC).
go = threading.Event()
early = {}
def early_thread():
    go.wait()
    early.update(attempt(lambda: socket.socket().close()))
t = threading.Thread(target=early_thread)
t.start()
confine.install_seccomp(own_pid=os.getpid())
go.set()
t.join()
R["early_thread_socket"] = early
R["execv"] = attempt(lambda: os.execv("/bin/true", ["true"]))
R["subprocess"] = attempt(lambda: subprocess.run(["true"], check=False).returncode)
R["socket_inet"] = attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())
R["socket_unix"] = attempt(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close())
R["socketpair"] = attempt(socket_pair)
R["kill_parent"] = attempt(lambda: os.kill(os.getppid(), 0))
R["kill_all"] = attempt(lambda: os.kill(-1, 0))
R["kill_victim"] = attempt(lambda: os.kill(victim, signal.SIGKILL))
R["tgkill_victim"] = raw(234, victim, victim, signal.SIGKILL)
R["kill_self"] = attempt(lambda: os.kill(os.getpid(), 0))
R["kill_own_group"] = attempt(lambda: os.kill(0, 0))
R["own_signal"] = attempt(own_signal)
R["thread"] = attempt(thread_runs)
R["fork"] = attempt(fork_works)
R["unshare_user"] = raw(272, CLONE_NEWUSER)
R["clone_ns"] = {hex(f): raw_clone(f) for f in (CLONE_NEWUSER, 0x40000000, 0x20000000, 0x00020000)}
R["clone3"] = raw(435, 0, 0)
R["x32_getpid"] = raw(0x40000000 | 39)
R["setsid"] = in_fork(os.setsid)
R["setpgid"] = in_fork(lambda: os.setpgid(0, 0))
R["ptrace_attach"] = raw(101, 16, victim, 0, 0)
R["misc"] = {
    "unshare_0": raw(272, 0),
    "setns": raw(308, -1, 0),
    "personality_query": raw(135, 0xFFFFFFFF),
    "mount": raw(165, 0, 0, 0, 0, 0),
    "chroot": raw(161, 0),
    "bpf": raw(321, 0, 0, 0),
    "io_uring_setup": raw(425, 1, 0),
    "perf_event_open": raw(298, 0, 0, -1, -1, 0),
    "keyctl": raw(250, 9999),
    "setuid_self": raw(105, os.getuid()),
    "setgid_self": raw(106, os.getgid()),
    "capset": raw(126, 0, 0),
    "syslog_size": raw(103, 10, 0, 0),
    "pidfd_open_self": raw(434, os.getpid(), 0),
    "process_vm_readv_self": raw(310, os.getpid(), 0, 0, 0, 0, 0),
    "clock_settime": raw(227, 0, 0),
    "open_by_handle_at": raw(304, -1, 0, 0),
}
R["still_running"] = True
"""
    )
    return run_child(body, victim=victim.pid)


@needs_seccomp
def test_seccomp_baseline_without_filter() -> None:
    """The probes below succeed unconfined, so their failure under seccomp is the filter's doing."""
    body = (
        _SECCOMP_PROBES
        + """
R = {name: attempt(fn) for name, fn in CONTROLS.items()}
"""
    )
    report = run_child(body)
    assert all(entry["ok"] for entry in report.values()), report
    assert report["unshare_0"]["value"]["ret"] == 0
    assert report["personality_query"]["value"]["ret"] >= 0
    assert report["setsid"] == {"ok": True, "value": 0}
    assert report["setpgid"] == {"ok": True, "value": 0}


@needs_seccomp
def test_seccomp_blocks_exec(seccomp_report: dict[str, Any]) -> None:
    # Had execv succeeded, /bin/true would have replaced the child and no report would exist.
    assert seccomp_report["still_running"] is True
    assert denied(seccomp_report["execv"])
    assert seccomp_report["execv"]["type"] == "PermissionError"
    assert denied(seccomp_report["subprocess"])


@needs_seccomp
def test_seccomp_blocks_sockets_but_not_socketpair(seccomp_report: dict[str, Any]) -> None:
    assert denied(seccomp_report["socket_inet"])
    assert denied(seccomp_report["socket_unix"])
    assert seccomp_report["socketpair"] == {"ok": True, "value": "ping"}


@needs_seccomp
def test_seccomp_applies_to_threads_started_before(seccomp_report: dict[str, Any]) -> None:
    assert denied(seccomp_report["early_thread_socket"])


@needs_seccomp
def test_seccomp_blocks_foreign_signals(
    seccomp_report: dict[str, Any], victim: subprocess.Popen[bytes]
) -> None:
    assert denied(seccomp_report["kill_parent"])
    assert denied(seccomp_report["kill_all"])
    assert denied(seccomp_report["kill_victim"])
    assert seccomp_report["tgkill_victim"] == {"ret": -1, "errno": errno.EPERM}
    assert victim.poll() is None, "the victim was killed"


@needs_seccomp
def test_seccomp_allows_own_signals(seccomp_report: dict[str, Any]) -> None:
    assert seccomp_report["kill_self"]["ok"]
    assert seccomp_report["kill_own_group"]["ok"]
    assert seccomp_report["own_signal"] == {"ok": True, "value": 2}


@needs_seccomp
def test_seccomp_allows_threads_and_fork(seccomp_report: dict[str, Any]) -> None:
    assert seccomp_report["thread"] == {"ok": True, "value": 1}
    assert seccomp_report["fork"] == {"ok": True, "value": 7}


@needs_seccomp
def test_seccomp_blocks_namespaces(seccomp_report: dict[str, Any]) -> None:
    assert seccomp_report["unshare_user"] == {"ret": -1, "errno": errno.EPERM}
    for flag, result in seccomp_report["clone_ns"].items():
        assert result == {"ret": -1, "errno": errno.EPERM}, flag
    assert seccomp_report["clone3"] == {"ret": -1, "errno": errno.ENOSYS}
    assert seccomp_report["x32_getpid"] == {"ret": -1, "errno": errno.EPERM}


@needs_seccomp
def test_seccomp_blocks_sessions(seccomp_report: dict[str, Any]) -> None:
    assert seccomp_report["setsid"] == 100 + errno.EPERM
    assert seccomp_report["setpgid"] == 100 + errno.EPERM


@needs_seccomp
def test_seccomp_blocks_ptrace(seccomp_report: dict[str, Any], victim: subprocess.Popen[bytes]) -> None:
    assert seccomp_report["ptrace_attach"] == {"ret": -1, "errno": errno.EPERM}
    assert _tracer_pid(victim.pid) == 0


@needs_seccomp
def test_seccomp_blocks_privileged_calls(seccomp_report: dict[str, Any]) -> None:
    # Unfiltered, each of these would succeed or fail with a different errno (EFAULT, EBADF, ...).
    wrong = {k: v for k, v in seccomp_report["misc"].items() if v != {"ret": -1, "errno": errno.EPERM}}
    assert not wrong


# --------------------------------------------------------------------------------------------------------
# capabilities
# --------------------------------------------------------------------------------------------------------


def _has_capability(cap: int) -> bool:
    """Whether this (pytest) process holds ``cap`` in its effective set; a child inherits it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) >> cap & 1)
    raise AssertionError("no CapEff line")


CAP_SYS_RESOURCE = 24


@needs_root
def test_drop_capabilities(tmp_path: Path) -> None:
    control_file = tmp_path / "control"
    target_file = tmp_path / "target"
    foreign_file = tmp_path / "foreign"
    for path in (control_file, target_file, foreign_file):
        path.write_text("data")
    os.chown(foreign_file, 65534, 65534)
    foreign_file.chmod(0o600)
    body = """
import resource
NOFILE = resource.RLIMIT_NOFILE

def set_oom(value):
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write(str(value))

def read(path):
    with open(path) as f:
        return f.read()

soft, hard = resource.getrlimit(NOFILE)
resource.setrlimit(NOFILE, (min(soft, hard - 2), hard - 2))
# Controls: all of these need a capability, so they prove we had them.
R["control_raise"] = attempt(lambda: resource.setrlimit(NOFILE, (min(soft, hard - 2), hard - 1)))
R["control_chown"] = attempt(lambda: os.chown(P["control"], 65534, 65534))
R["control_oom"] = attempt(lambda: set_oom(-500))
R["control_read_foreign"] = attempt(lambda: read(P["foreign"]))
R["hard_before"] = resource.getrlimit(NOFILE)[1]

confine.drop_capabilities()
confine.drop_capabilities()  # idempotent
R["raise_hard"] = attempt(lambda: resource.setrlimit(NOFILE, (min(soft, hard - 2), hard)))
R["hard_after"] = resource.getrlimit(NOFILE)[1]
R["chown"] = attempt(lambda: os.chown(P["target"], 65534, 65534))
R["oom"] = attempt(lambda: set_oom(-1000))
R["oom_after"] = read("/proc/self/oom_score_adj").strip()
R["read_foreign"] = attempt(lambda: read(P["foreign"]))
R["setuid"] = attempt(lambda: os.setuid(65534))
R["uid"] = os.getuid()
R["status"] = {
    line.split(":")[0]: line.split()[1]
    for line in read("/proc/self/status").splitlines()
    if line.startswith("Cap")
}
"""
    report = run_child(body, control=str(control_file), target=str(target_file), foreign=str(foreign_file))
    # Some containers withhold CAP_SYS_RESOURCE even from root; then only the post-drop half is checked.
    if _has_capability(CAP_SYS_RESOURCE):
        assert report["control_raise"]["ok"]
        assert report["control_oom"]["ok"]
        assert report["oom_after"] == "-500"
    assert report["control_chown"]["ok"]
    assert report["control_read_foreign"] == {"ok": True, "value": "data"}
    assert report["raise_hard"]["ok"] is False  # CPython turns EPERM into ValueError here
    assert report["hard_after"] == report["hard_before"]
    assert denied(report["chown"])
    assert target_file.stat().st_uid == 0
    assert report["oom"]["ok"] is False
    assert report["oom"]["errno"] == errno.EACCES
    assert report["oom_after"] != "-1000"
    assert report["read_foreign"]["ok"] is False
    assert report["read_foreign"]["errno"] == errno.EACCES
    assert denied(report["setuid"])
    assert report["uid"] == 0
    assert report["status"] == dict.fromkeys(["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"], "0" * 16)


@needs_root
@needs_seccomp
def test_drop_capabilities_then_seccomp() -> None:
    """The bootstrap order works: seccomp denies capset, so capabilities must be dropped first."""
    report = run_child("""
confine.drop_capabilities()
confine.install_seccomp(own_pid=os.getpid())
R["capset"] = raw(126, 0, 0)
R["nnp"] = [l for l in open("/proc/self/status").read().splitlines() if l.startswith("NoNewPrivs")]
""")
    assert report["capset"] == {"ret": -1, "errno": errno.EPERM}
    assert report["nnp"] == ["NoNewPrivs:\t1"]


def test_drop_capabilities_refuses_threads() -> None:
    report = run_child("""
import threading
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
R["drop"] = attempt(confine.drop_capabilities)
R["caps"] = [l for l in open("/proc/self/status").read().splitlines() if l.startswith("CapBnd")]
stop.set()
t.join()
""")
    assert denied(report["drop"], errno.EBUSY)
    if IS_ROOT:
        assert report["caps"] != ["CapBnd:\t0000000000000000"], "nothing may be dropped on refusal"


# --------------------------------------------------------------------------------------------------------
# Landlock
# --------------------------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> dict[str, str]:
    for name in ("ro", "rw", "outside"):
        (tmp_path / name).mkdir()
    (tmp_path / "ro" / "file.txt").write_text("readable")
    (tmp_path / "outside" / "secret.txt").write_text("secret")
    (tmp_path / "single.txt").write_text("single")
    (tmp_path / "sibling.txt").write_text("sibling")
    (tmp_path / "wfile.txt").write_text("0123456789")
    return {name: str(tmp_path / name) for name in ("ro", "rw", "outside", "single.txt", "sibling.txt",
                                                     "wfile.txt")}  # fmt: skip


_LANDLOCK_BODY = """
import socket, signal

def read(path):
    with open(path) as f:
        return f.read()

def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)

def connect():
    with socket.create_connection(("127.0.0.1", P["port"]), timeout=2):
        return True

def bind():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))

if P["confine"]:
    R["abi"] = confine.install_landlock(
        read_paths=[sys.base_prefix, sys.prefix, P["ro"], P["single.txt"], "/nonexistent/effilab/path"],
        write_paths=[P["rw"], P["wfile.txt"]],
    )
R["read_inside"] = attempt(lambda: read(P["ro"] + "/file.txt"))
R["list_inside"] = attempt(lambda: os.listdir(P["ro"]))
R["read_single"] = attempt(lambda: read(P["single.txt"]))
R["read_sibling"] = attempt(lambda: read(P["sibling.txt"]))
R["read_outside"] = attempt(lambda: read(P["outside"] + "/secret.txt"))
R["list_outside"] = attempt(lambda: os.listdir(P["outside"]))
R["write_inside"] = attempt(lambda: write(P["rw"] + "/new.txt", "hello"))
R["mkdir_inside"] = attempt(lambda: os.mkdir(P["rw"] + "/sub"))
R["write_outside"] = attempt(lambda: write(P["outside"] + "/new.txt", "x"))
R["write_ro"] = attempt(lambda: write(P["ro"] + "/new.txt", "x"))
R["modify_ro"] = attempt(lambda: write(P["ro"] + "/file.txt", "x", "a"))
R["write_file_rule"] = attempt(lambda: write(P["wfile.txt"], "abc"))
R["import_stdlib"] = attempt(lambda: __import__("fractions").Fraction(1, 3).denominator
                             + len(__import__("csv").__name__))
R["tcp_connect"] = attempt(connect)
R["tcp_bind"] = attempt(bind)
R["signal_victim"] = attempt(lambda: os.kill(P["victim"], signal.SIGKILL if P["confine"] else 0))
"""


def _run_landlock(tree: dict[str, str], victim: int, *, confined: bool) -> tuple[dict[str, Any], bool]:
    """Run the Landlock probes; also report whether the TCP server saw any connection."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        report = run_child(_LANDLOCK_BODY, port=port, victim=victim, confine=confined, **tree)
        # The child has exited: a completed handshake would be waiting in the backlog by now.
        server.settimeout(0.3)
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return report, False
        conn.close()
        return report, True


@needs_landlock
def test_landlock_baseline_without_confinement(tree: dict[str, str], victim: subprocess.Popen[bytes]) -> None:
    """Unconfined, the probes succeed: their failure below is Landlock's doing."""
    report, connected = _run_landlock(tree, victim.pid, confined=False)
    for key in ("read_sibling", "read_outside", "list_outside", "write_outside", "tcp_connect", "tcp_bind"):
        assert report[key]["ok"], key
    assert connected


@needs_landlock
def test_landlock(tree: dict[str, str], victim: subprocess.Popen[bytes]) -> None:
    report, connected = _run_landlock(tree, victim.pid, confined=True)
    abi = min(LANDLOCK_ABI, 7)
    assert report["abi"] == abi
    # allowed
    assert report["read_inside"] == {"ok": True, "value": "readable"}
    assert report["list_inside"] == {"ok": True, "value": ["file.txt"]}
    assert report["read_single"] == {"ok": True, "value": "single"}
    assert report["write_inside"]["ok"]
    assert Path(tree["rw"], "new.txt").read_text() == "hello"
    assert report["mkdir_inside"]["ok"]
    assert report["write_file_rule"]["ok"]
    assert Path(tree["wfile.txt"]).read_text() == "abc"
    assert report["import_stdlib"] == {"ok": True, "value": 3 + 3}
    # denied, and the effect did not happen
    for key in ("read_sibling", "read_outside", "list_outside", "write_outside", "write_ro", "modify_ro"):
        assert denied(report[key], errno.EACCES), (key, report[key])
    assert not Path(tree["outside"], "new.txt").exists()
    assert not Path(tree["ro"], "new.txt").exists()
    assert Path(tree["ro"], "file.txt").read_text() == "readable"
    if abi >= 4:
        assert denied(report["tcp_connect"], errno.EACCES)
        assert not connected, "the server accepted a connection from the confined child"
        assert denied(report["tcp_bind"], errno.EACCES)
    if abi >= 6:
        assert denied(report["signal_victim"])
        assert victim.poll() is None, "the victim was killed"


@needs_landlock
def test_landlock_refuses_threads(tree: dict[str, str]) -> None:
    report = run_child(
        """
import threading
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
R["install"] = attempt(lambda: confine.install_landlock(read_paths=[], write_paths=[]))
R["read_after"] = attempt(lambda: open(P["outside"] + "/secret.txt").read())
stop.set()
t.join()
""",
        **tree,
    )
    assert denied(report["install"], errno.EBUSY)
    assert report["read_after"] == {"ok": True, "value": "secret"}


@needs_landlock
def test_landlock_bad_path_is_an_error(tree: dict[str, str]) -> None:
    """Only missing paths are skipped; any other failure names the step and leaves nothing applied."""
    report = run_child(
        """
bad = P["single.txt"] + "/child"  # ENOTDIR, not ENOENT
R["install"] = attempt(lambda: confine.install_landlock(read_paths=[P["ro"], bad], write_paths=[]))
R["read_after"] = attempt(lambda: open(P["outside"] + "/secret.txt").read())
""",
        **tree,
    )
    assert denied(report["install"], errno.ENOTDIR)
    assert report["install"]["type"] == "NotADirectoryError"
    assert "install_landlock" in report["install"]["msg"]
    assert report["read_after"] == {"ok": True, "value": "secret"}
