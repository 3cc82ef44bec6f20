"""Irreversible, in-process confinement of the sandbox child interpreter.

The trusted bootstrap of a sandboxed interpreter calls these functions *before* any untrusted code is
imported. Every layer is one-way: once applied, nothing in the process (hostile code included) can undo it.

* :func:`drop_capabilities` empties the bounding, ambient, effective, permitted and inheritable capability
  sets, so that even uid 0 is an ordinary user (no raising hard rlimits, no chown of foreign files, ...).
* :func:`install_landlock` restricts the filesystem to allow-listed paths, forbids TCP bind/connect, and
  (ABI >= 6) forbids signalling processes or reaching abstract UNIX sockets outside the sandbox.
* :func:`install_seccomp` installs a BPF system-call filter that denies process execution, networking,
  namespaces, tracing, mounting, privileged kernel interfaces and signals to foreign processes.

Recommended order (the one the bootstrap uses): rlimits, :func:`drop_capabilities`, :func:`install_landlock`,
:func:`install_seccomp`. seccomp must come after :func:`drop_capabilities` because the filter denies
``capset``.

The child imports this file standalone by path (its folder is put on ``sys.path``), so it must only import
the standard library. It is Linux-specific; the seccomp filter only knows x86_64 system-call numbers.
Every failure raises :class:`OSError` carrying the errno and a message that names the failed step: a layer
is never silently skipped. Invalid arguments (a non-positive ``own_pid``) are programming errors and raise
:class:`ValueError`.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
import struct
import sys
import threading
from collections.abc import Sequence

__all__ = [
    "X86_64_SYSCALLS",
    "drop_capabilities",
    "install_landlock",
    "install_seccomp",
    "landlock_abi",
    "seccomp_program_bytes",
    "seccomp_supported",
    "set_no_new_privs",
]

# --------------------------------------------------------------------------------------------------------
# libc access
# --------------------------------------------------------------------------------------------------------


@functools.cache
def _libc() -> ctypes.CDLL:
    """The C library of this process, with errno capture (``ctypes.get_errno``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.prctl.restype = ctypes.c_int
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return libc


def _fail(err: int, step: str, detail: str = "") -> OSError:
    """An OSError (of the errno-specific subclass) whose message names the confinement step."""
    text = os.strerror(err) if err else "unknown error"
    return OSError(err, f"{step}: {text}{': ' + detail if detail else ''}")


def _syscall(nr: int, *args: int | ctypes.Array[ctypes.c_char]) -> tuple[int, int]:
    """Raw ``syscall(2)``: return (result, errno). Integers are passed as C longs, buffers as pointers.

    ``syscall`` is variadic, so ctypes would otherwise pass Python ints as 32-bit C ints.
    """
    converted = [ctypes.c_long(arg) if isinstance(arg, int) else arg for arg in args]
    ctypes.set_errno(0)
    result: int = _libc().syscall(ctypes.c_long(nr), *converted)
    return result, (ctypes.get_errno() if result == -1 else 0)


def _prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> tuple[int, int]:
    """``prctl(2)``: return (result, errno)."""
    ctypes.set_errno(0)
    result: int = _libc().prctl(option, arg2, arg3, arg4, arg5)
    return result, (ctypes.get_errno() if result == -1 else 0)


def _require_single_thread(step: str) -> None:
    """Refuse to confine a multi-threaded process where the layer is per-thread.

    Capabilities and Landlock domains belong to a thread's credentials: applying them in one thread would
    leave every other thread unconfined, which hostile code could then use.
    """
    try:
        count = len(os.listdir("/proc/self/task"))
    except OSError:
        # /proc may be hidden (e.g. by an earlier Landlock layer); the interpreter's own view is the best
        # remaining evidence. Threads started behind Python's back are not expected in the bootstrap.
        count = threading.active_count()
    if count != 1:
        raise _fail(
            errno.EBUSY, step, f"the process has {count} threads; only the calling one would be confined"
        )


# --------------------------------------------------------------------------------------------------------
# no_new_privs and capabilities
# --------------------------------------------------------------------------------------------------------

_PR_CAPBSET_READ = 23
_PR_CAPBSET_DROP = 24
_PR_GET_SECCOMP = 21
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER_PRCTL = 2
_PR_SET_NO_NEW_PRIVS = 38
_PR_GET_NO_NEW_PRIVS = 39
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4

_SYS_CAPGET = 125
_SYS_CAPSET = 126
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_CAP_LAST_CAP_FALLBACK = 40  # CAP_CHECKPOINT_RESTORE, the last capability as of Linux 6.x


def set_no_new_privs() -> None:
    """Set ``no_new_privs``: ``execve`` can never again grant privileges (setuid bits, file capabilities).

    It is a prerequisite for unprivileged seccomp filters and Landlock domains, and inherited by children.
    """
    result, err = _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    if result != 0:
        raise _fail(err, "prctl(PR_SET_NO_NEW_PRIVS)")
    result, err = _prctl(_PR_GET_NO_NEW_PRIVS)
    if result != 1:
        raise _fail(
            err or errno.EPERM, "prctl(PR_GET_NO_NEW_PRIVS)", "no_new_privs is not set after setting it"
        )


def _cap_last_cap() -> int:
    """Highest capability number the kernel knows; falls back to 40 when /proc cannot be read.

    Over-estimating is harmless: PR_CAPBSET_* answers EINVAL for unknown capabilities and we stop there.
    """
    try:
        with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return _CAP_LAST_CAP_FALLBACK


def _capget() -> tuple[int, ...]:
    """(effective, permitted, inheritable) x 2 words of the calling thread, via ``capget`` v3."""
    header = ctypes.create_string_buffer(struct.pack("<Ii", _LINUX_CAPABILITY_VERSION_3, 0), 8)
    data = ctypes.create_string_buffer(24)
    result, err = _syscall(_SYS_CAPGET, header, data)
    if result != 0:
        raise _fail(err, "capget")
    return struct.unpack("<6I", data.raw)


def drop_capabilities() -> None:
    """Drop every capability of the (single-threaded) process, irreversibly.

    Why each step: the *bounding* set caps what any later ``execve`` could grant (root re-gains its
    capabilities on exec otherwise); the *ambient* set survives exec for non-root users; and ``capset`` with
    all-zero effective/permitted/inheritable removes what the process holds right now. Afterwards uid 0 is
    an ordinary user: it cannot raise hard rlimits (CAP_SYS_RESOURCE), chown foreign files (CAP_CHOWN),
    bypass file permissions (CAP_DAC_OVERRIDE), change uid (CAP_SETUID), and so on.

    Dropping bounding-set entries needs CAP_SETPCAP, so an unprivileged caller whose bounding set is not
    already empty gets EPERM. Entries already absent are left alone, which makes the call idempotent.
    The result is verified (capget and PR_CAPBSET_READ) before returning.
    """
    step = "drop_capabilities"
    _require_single_thread(step)
    last_cap = _cap_last_cap()
    for cap in range(last_cap + 1):
        present, err = _prctl(_PR_CAPBSET_READ, cap)
        if present == -1 and err == errno.EINVAL:
            break  # beyond the kernel's last capability (only possible with the fallback)
        if present == -1:
            raise _fail(err, f"{step}: prctl(PR_CAPBSET_READ, {cap})")
        if present == 0:
            continue
        result, err = _prctl(_PR_CAPBSET_DROP, cap)
        if result != 0 and err == errno.EINVAL:
            break
        if result != 0:
            raise _fail(err, f"{step}: prctl(PR_CAPBSET_DROP, {cap})")
    result, err = _prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)
    if result != 0:
        raise _fail(err, f"{step}: prctl(PR_CAP_AMBIENT_CLEAR_ALL)")
    header = ctypes.create_string_buffer(struct.pack("<Ii", _LINUX_CAPABILITY_VERSION_3, 0), 8)
    data = ctypes.create_string_buffer(bytes(24), 24)  # 2 x {effective, permitted, inheritable}, all zero
    result, err = _syscall(_SYS_CAPSET, header, data)
    if result != 0:
        raise _fail(err, f"{step}: capset")
    if any(_capget()):
        raise _fail(errno.EPERM, f"{step}: verify", "capabilities remain after capset")
    for cap in range(last_cap + 1):
        present, err = _prctl(_PR_CAPBSET_READ, cap)
        if present == -1 and err == errno.EINVAL:
            break
        if present != 0:
            raise _fail(
                err or errno.EPERM, f"{step}: verify", f"capability {cap} remains in the bounding set"
            )


# --------------------------------------------------------------------------------------------------------
# seccomp
# --------------------------------------------------------------------------------------------------------

#: x86_64 system-call numbers of every call the filter inspects (arch/x86/entry/syscalls/syscall_64.tbl).
X86_64_SYSCALLS: dict[str, int] = {
    "ioctl": 16,
    "socket": 41,
    "connect": 42,
    "accept": 43,
    "bind": 49,
    "listen": 50,
    "socketpair": 53,
    "clone": 56,
    "execve": 59,
    "kill": 62,
    "ptrace": 101,
    "syslog": 103,
    "setuid": 105,
    "setgid": 106,
    "setpgid": 109,
    "setsid": 112,
    "setreuid": 113,
    "setregid": 114,
    "setgroups": 116,
    "setresuid": 117,
    "setresgid": 119,
    "setfsuid": 122,
    "setfsgid": 123,
    "capset": 126,
    "rt_sigqueueinfo": 129,
    "personality": 135,
    "vhangup": 153,
    "pivot_root": 155,
    "adjtimex": 159,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "sethostname": 170,
    "setdomainname": 171,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "tkill": 200,
    "lookup_dcookie": 212,
    "clock_settime": 227,
    "tgkill": 234,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "accept4": 288,
    "rt_tgsigqueueinfo": 297,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "seccomp": 317,
    "kexec_file_load": 320,
    "bpf": 321,
    "execveat": 322,
    "userfaultfd": 323,
    "pidfd_send_signal": 424,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_open": 434,
    "clone3": 435,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "mount_setattr": 442,
    "quotactl_fd": 443,
    "landlock_create_ruleset": 444,
    "landlock_add_rule": 445,
    "landlock_restrict_self": 446,
    "chmod": 90,
    "fchmod": 91,
    "chown": 92,
    "fchown": 93,
    "lchown": 94,
    "utime": 132,
    "mknod": 133,
    "setxattr": 188,
    "lsetxattr": 189,
    "fsetxattr": 190,
    "removexattr": 197,
    "lremovexattr": 198,
    "fremovexattr": 199,
    "utimes": 235,
    "mknodat": 259,
    "fchownat": 260,
    "futimesat": 261,
    "fchmodat": 268,
    "utimensat": 280,
    "fchmodat2": 452,
}

#: Denied outright with EPERM. Deliberately *not* here: ``prctl`` (glibc and CPython use it), ``socketpair``
#: (AF_UNIX pairs only connect processes of this tree; multiprocessing needs them), ``seccomp`` and the
#: Landlock calls (they can only restrict further).
_DENIED_EPERM: tuple[str, ...] = (
    # running other programs
    "execve", "execveat",
    # networking (socketpair stays allowed)
    "socket", "connect", "accept", "accept4", "bind", "listen",
    # inspecting or controlling other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp",
    "tkill", "pidfd_send_signal", "pidfd_open", "pidfd_getfd",
    # mounts, namespaces, root directory
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "mount_setattr", "move_mount",
    "open_tree", "fsopen", "fsconfig", "fsmount", "fspick",
    # system-wide state
    "swapon", "swapoff", "reboot", "sethostname", "setdomainname", "acct", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "quotactl", "quotactl_fd", "syslog", "vhangup",
    "lookup_dcookie",
    # kernel code and privileged kernel interfaces
    "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "bpf",
    "perf_event_open", "userfaultfd", "iopl", "ioperm", "personality",
    "keyctl", "add_key", "request_key", "open_by_handle_at", "name_to_handle_at",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    # sessions, process groups, identity, capabilities
    "setsid", "setpgid",
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid",
    "capset",
    # file metadata: Landlock does not govern it, so without namespaces (the process tier) a candidate
    # could otherwise chmod/chown/touch/tag any host file its uid owns
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "utimensat", "futimesat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "mknod", "mknodat",
)  # fmt: skip

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000

# Classic BPF opcodes (linux/bpf_common.h).
_BPF_LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x05 | 0x10 | 0x00  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGE_K = 0x05 | 0x30 | 0x00  # BPF_JMP | BPF_JGE | BPF_K
_BPF_JSET_K = 0x05 | 0x40 | 0x00  # BPF_JMP | BPF_JSET | BPF_K
_BPF_RET_K = 0x06 | 0x00  # BPF_RET | BPF_K
_BPF_MAXINSNS = 4096

_SECCOMP_RET_KILL_PROCESS = 0x80000000
_SECCOMP_RET_ERRNO = 0x00050000
_SECCOMP_RET_ALLOW = 0x7FFF0000
_RET_EPERM = _SECCOMP_RET_ERRNO | errno.EPERM

# struct seccomp_data {int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];}, little-endian.
_OFF_NR = 0
_OFF_ARCH = 4
_OFF_ARG0_LO = 16
_OFF_ARG1_LO = 24

_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

_NAMESPACE_CLONE_FLAGS = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
)
_TIOCSTI = 0x5412  # push bytes into a terminal's input queue: commands typed into the parent's shell
_TIOCLINUX = 0x541C  # on a virtual console, can likewise inject input (TIOCL_PASTESEL)

_Insn = tuple[int, int, int, int]  # (code, jt, jf, k) of struct sock_filter


def seccomp_supported() -> bool:
    """Whether :func:`install_seccomp` can work here: 64-bit x86_64 Linux with seccomp in the kernel.

    Only x86_64 system-call numbers are implemented; a 32-bit interpreter on an x86_64 kernel uses the i386
    numbers and is therefore unsupported too.
    """
    if not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
        return False
    if struct.calcsize("P") != 8:
        return False
    result, _ = _prctl(_PR_GET_SECCOMP)
    return result != -1


def _guarded(nr: int, body: list[_Insn]) -> list[_Insn]:
    """``if nr == <nr>: <body>`` where body inspects arguments and always ends in a RET."""
    if len(body) > 255 or body[-1][0] != _BPF_RET_K:
        raise ValueError("guarded seccomp block must be <= 255 instructions and end in RET")
    return [(_BPF_JEQ_K, 0, len(body), nr), *body]


def _build_seccomp_program(own_pid: int, *, allow_exec: bool = False) -> list[_Insn]:
    """The filter as (code, jt, jf, k) tuples (``allow_exec``: see :func:`seccomp_program_bytes`).

    Layout: architecture check, x32 check, then one ``JEQ nr; RET`` pair per denied call (every jump is 0
    or 1, far below the 8-bit limit), then a few blocks that inspect arguments, each ending in its own RET,
    and finally ALLOW. The accumulator holds ``nr`` throughout the list of JEQs; an argument block only
    loads an argument after its syscall number has matched.
    """
    sc = X86_64_SYSCALLS
    prog: list[_Insn] = [
        (_BPF_LD_W_ABS, 0, 0, _OFF_ARCH),
        (_BPF_JEQ_K, 1, 0, _AUDIT_ARCH_X86_64),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_KILL_PROCESS),  # i386/x32 entry: our numbers would not apply
        (_BPF_LD_W_ABS, 0, 0, _OFF_NR),
        (_BPF_JGE_K, 0, 1, _X32_SYSCALL_BIT),
        (_BPF_RET_K, 0, 0, _RET_EPERM),
    ]
    for name in _DENIED_EPERM:
        if allow_exec and name in ("execve", "execveat"):
            continue
        prog += [(_BPF_JEQ_K, 0, 1, sc[name]), (_BPF_RET_K, 0, 0, _RET_EPERM)]
    # clone3 passes its flags in memory that BPF cannot read: say "not implemented" so glibc uses clone.
    prog += [(_BPF_JEQ_K, 0, 1, sc["clone3"]), (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | errno.ENOSYS)]
    # clone: threads and fork are fine, new namespaces are not (flags are the low 32 bits of args[0]).
    prog += _guarded(sc["clone"], [
        (_BPF_LD_W_ABS, 0, 0, _OFF_ARG0_LO),
        (_BPF_JSET_K, 0, 1, _NAMESPACE_CLONE_FLAGS),
        (_BPF_RET_K, 0, 0, _RET_EPERM),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
    ])  # fmt: skip
    # kill: only this process (pid == own_pid) or its own process group (pid == 0). Covers kill(-1, ...),
    # kill(parent, ...) and negative process-group ids.
    prog += _guarded(sc["kill"], [
        (_BPF_LD_W_ABS, 0, 0, _OFF_ARG0_LO),
        (_BPF_JEQ_K, 2, 0, own_pid),
        (_BPF_JEQ_K, 1, 0, 0),
        (_BPF_RET_K, 0, 0, _RET_EPERM),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
    ])  # fmt: skip
    # Thread-directed and queued signals: the target thread group (args[0]) must be this process.
    for name in ("tgkill", "rt_tgsigqueueinfo", "rt_sigqueueinfo"):
        prog += _guarded(sc[name], [
            (_BPF_LD_W_ABS, 0, 0, _OFF_ARG0_LO),
            (_BPF_JEQ_K, 0, 1, own_pid),
            (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
            (_BPF_RET_K, 0, 0, _RET_EPERM),
        ])  # fmt: skip
    # ioctl: terminal input injection would let the child type commands into an inherited terminal.
    prog += _guarded(sc["ioctl"], [
        (_BPF_LD_W_ABS, 0, 0, _OFF_ARG1_LO),
        (_BPF_JEQ_K, 1, 0, _TIOCSTI),
        (_BPF_JEQ_K, 0, 1, _TIOCLINUX),
        (_BPF_RET_K, 0, 0, _RET_EPERM),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
    ])  # fmt: skip
    prog.append((_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW))
    if len(prog) > _BPF_MAXINSNS:
        raise ValueError(f"seccomp program too long: {len(prog)} instructions")
    return prog


def _pack_program(prog: Sequence[_Insn]) -> bytes:
    """struct sock_filter[]: {__u16 code; __u8 jt; __u8 jf; __u32 k} each."""
    return b"".join(struct.pack("HBBI", code, jt, jf, k) for code, jt, jf, k in prog)


def seccomp_program_bytes(own_pid: int, *, allow_exec: bool = False) -> bytes:
    """The packed filter, for a launcher that installs it itself (bubblewrap's ``--seccomp FD``).

    ``allow_exec`` keeps ``execve``/``execveat`` allowed: whole programs (effilab.programs) are started by
    the launcher's own exec *after* the filter is in place, so the filter cannot forbid it; what such a
    program could run is bounded by the sandbox's filesystem instead (see docs/programs.md).
    """
    return _pack_program(_build_seccomp_program(own_pid, allow_exec=allow_exec))


class _SockFprog(ctypes.Structure):
    """struct sock_fprog {unsigned short len; struct sock_filter *filter;}."""

    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install_seccomp(*, own_pid: int, allow_exec: bool = False) -> None:
    """Install the system-call filter on every thread of this process, irreversibly.

    Default ALLOW with a deny-list (mostly EPERM): a CPython interpreter uses far too many calls for an
    allow-list to stay correct across versions, while the denied calls are exactly those that let code
    leave the sandbox: running programs, networking, namespaces, tracing or signalling other processes,
    mounting, kernel modules, privileged kernel interfaces, changing identity or capabilities. A non-x86_64
    system call ABI kills the process, x32 calls fail with EPERM.

    ``own_pid`` is the only process ``kill``/``tgkill`` may target (besides ``kill(0, ...)``, the own
    process group, so the caller must run the child in its own process group). Forked children inherit the
    filter with the same ``own_pid``: they may signal that process but not themselves via ``kill``.

    Sets ``no_new_privs`` first when it is not set (seccomp requires it without CAP_SYS_ADMIN). Uses
    SECCOMP_FILTER_FLAG_TSYNC so threads that already exist are filtered too. Call it after
    :func:`drop_capabilities` (``capset`` is denied).
    """
    step = "install_seccomp"
    if own_pid <= 0 or own_pid > 0x7FFFFFFF:
        raise ValueError(f"own_pid must be a positive pid, got {own_pid}")
    if not seccomp_supported():
        raise _fail(errno.EOPNOTSUPP, step, "only x86_64 Linux with seccomp is supported")
    result, err = _prctl(_PR_GET_NO_NEW_PRIVS)
    if result == -1:
        raise _fail(err, f"{step}: prctl(PR_GET_NO_NEW_PRIVS)")
    if result != 1:
        set_no_new_privs()
    prog = _build_seccomp_program(own_pid, allow_exec=allow_exec)
    filters = ctypes.create_string_buffer(_pack_program(prog), len(prog) * 8)
    fprog = _SockFprog(len(prog), ctypes.addressof(filters))
    fprog_buf = ctypes.create_string_buffer(bytes(fprog), ctypes.sizeof(fprog))
    result, err = _syscall(X86_64_SYSCALLS["seccomp"], _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                           fprog_buf)  # fmt: skip
    if result == -1 and err == errno.ENOSYS:
        # Some hosts lack the seccomp() call itself, notably valgrind, which the instruction-count backend
        # runs the interpreter under. prctl installs the same filter but on the calling thread only, so it
        # is only safe while that is the only thread.
        _require_single_thread(f"{step}: prctl(PR_SET_SECCOMP)")
        result, err = _prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER_PRCTL, ctypes.addressof(fprog_buf))
    if result == -1:
        raise _fail(err, f"{step}: seccomp(SECCOMP_SET_MODE_FILTER)")
    if result != 0:
        # With TSYNC a positive result is the id of a thread that could not be synchronised.
        raise _fail(errno.EBUSY, f"{step}: seccomp(SECCOMP_SET_MODE_FILTER)", f"thread {result} not filtered")
    mode, err = _prctl(_PR_GET_SECCOMP)
    if mode != 2:  # SECCOMP_MODE_FILTER
        raise _fail(err or errno.EPERM, f"{step}: verify", f"seccomp mode is {mode} after installing")


# --------------------------------------------------------------------------------------------------------
# Landlock
# --------------------------------------------------------------------------------------------------------

_SYS_LANDLOCK_CREATE_RULESET = 444  # same number on every architecture
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1 << 0
_LANDLOCK_RULE_PATH_BENEATH = 1
_LANDLOCK_MAX_ABI = 7  # the newest ABI whose semantics this module knows

_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_REMOVE_DIR = 1 << 4
_FS_REMOVE_FILE = 1 << 5
_FS_MAKE_CHAR = 1 << 6
_FS_MAKE_DIR = 1 << 7
_FS_MAKE_REG = 1 << 8
_FS_MAKE_SOCK = 1 << 9
_FS_MAKE_FIFO = 1 << 10
_FS_MAKE_BLOCK = 1 << 11
_FS_MAKE_SYM = 1 << 12
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_FS_IOCTL_DEV = 1 << 15  # ABI 5
# The only rights the kernel accepts in a rule on a non-directory; others give EINVAL.
_FS_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
_FS_READ_RIGHTS = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR

_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1  # ABI 6


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 when Landlock is not built in or disabled at boot."""
    if not sys.platform.startswith("linux"):
        return 0
    result, err = _syscall(_SYS_LANDLOCK_CREATE_RULESET, 0, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    if result >= 0:
        return result
    if err in (errno.ENOSYS, errno.EOPNOTSUPP):
        return 0
    raise _fail(err, "landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION)")


def _handled_fs(abi: int) -> int:
    """Every filesystem right defined up to ``abi``: a right that is not handled is not restricted."""
    rights = (_FS_MAKE_SYM << 1) - 1  # ABI 1: bits 0..12
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def _ruleset_attr(abi: int) -> bytes:
    """struct landlock_ruleset_attr, truncated to the size the ABI knows (older kernels reject more)."""
    net = _NET_BIND_TCP | _NET_CONNECT_TCP if abi >= 4 else 0
    scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL if abi >= 6 else 0
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    return struct.pack("<QQQ", _handled_fs(abi), net, scoped)[:size]


def _add_path_rule(ruleset_fd: int, path: str, dir_rights: int, file_rights: int, step: str) -> None:
    """Allow ``dir_rights`` beneath directory ``path`` (``file_rights`` if it is not a directory).

    A path that does not exist is skipped: the allow-list is static (interpreter and library folders that
    differ between systems) and a missing path grants nothing, so skipping it only ever denies more.
    """
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _fail(exc.errno or errno.EIO, f"{step}: open({path!r}, O_PATH)") from exc
    try:
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        attr = ctypes.create_string_buffer(struct.pack("<Qi", dir_rights if is_dir else file_rights, fd), 12)
        result, err = _syscall(_SYS_LANDLOCK_ADD_RULE, ruleset_fd, _LANDLOCK_RULE_PATH_BENEATH, attr, 0)
        if result != 0:
            raise _fail(err, f"{step}: landlock_add_rule({path!r})")
    finally:
        os.close(fd)


def install_landlock(
    *, read_paths: Sequence[str], write_paths: Sequence[str], exec_paths: Sequence[str] | None = None
) -> int:
    """Confine the (single-threaded) process with Landlock, irreversibly; return the ABI version used.

    Everything not allowed is denied: ``read_paths`` may be read and executed (files, and directory listing
    for directories), ``write_paths`` get every filesystem right (create, remove, rename, truncate, ...).
    Paths that do not exist are skipped. With ``exec_paths`` given, only those may be executed (and read):
    ``read_paths`` lose the execute right (a compiler may run its own tools and nothing else). With
    ABI >= 4 every TCP bind/connect is denied (no network rules); with ABI >= 6 the process cannot signal
    processes outside its Landlock domain nor connect to abstract UNIX sockets created outside it.

    Uses ``min(kernel ABI, 7)``; raises OSError(EOPNOTSUPP) when Landlock is unavailable. Sets
    ``no_new_privs`` (required by ``landlock_restrict_self`` without CAP_SYS_ADMIN).
    """
    step = "install_landlock"
    abi = min(landlock_abi(), _LANDLOCK_MAX_ABI)
    if abi <= 0:
        raise _fail(errno.EOPNOTSUPP, step, "Landlock is not available in this kernel")
    _require_single_thread(step)
    handled = _handled_fs(abi)
    attr_bytes = _ruleset_attr(abi)
    attr = ctypes.create_string_buffer(attr_bytes, len(attr_bytes))
    ruleset_fd, err = _syscall(_SYS_LANDLOCK_CREATE_RULESET, attr, len(attr_bytes), 0)
    if ruleset_fd < 0:
        raise _fail(err, f"{step}: landlock_create_ruleset")
    try:
        read_rights = _FS_READ_RIGHTS if exec_paths is None else _FS_READ_RIGHTS & ~_FS_EXECUTE
        read_file_rights = read_rights & _FS_FILE_RIGHTS
        for path in read_paths:
            _add_path_rule(ruleset_fd, path, read_rights, read_file_rights, step)
        for path in exec_paths or ():
            _add_path_rule(ruleset_fd, path, _FS_READ_RIGHTS, _FS_READ_RIGHTS & _FS_FILE_RIGHTS, step)
        for path in write_paths:
            _add_path_rule(ruleset_fd, path, handled, handled & _FS_FILE_RIGHTS, step)
        set_no_new_privs()
        result, err = _syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset_fd, 0)
        if result != 0:
            raise _fail(err, f"{step}: landlock_restrict_self")
    finally:
        os.close(ruleset_fd)
    return abi
