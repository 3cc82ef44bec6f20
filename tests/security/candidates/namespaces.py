"""Tries to create namespaces, mount, trace, chroot and regain privileges through raw system calls."""

import ctypes
import os

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
SIGCHLD = 17
SYS = {
    "clone": 56,
    "ptrace": 101,
    "unshare": 272,
    "mount": 165,
    "setns": 308,
    "chroot": 161,
    "setuid": 105,
    "io_uring_setup": 425,
    "bpf": 321,
    "perf_event_open": 298,
    "userfaultfd": 323,
    "pivot_root": 155,
    "keyctl": 250,
}
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16


def f(mount_target, host_pid):
    lib = ctypes.CDLL(None, use_errno=True)
    lib.syscall.restype = ctypes.c_long

    def sc(name, *args):
        ctypes.set_errno(0)
        conv = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
        rc = lib.syscall(ctypes.c_long(SYS[name]), *conv)
        return rc, ctypes.get_errno()

    report = {}
    report["unshare(NEWUSER|NEWNS)"] = sc("unshare", CLONE_NEWUSER | CLONE_NEWNS)
    report["unshare(NEWNET)"] = sc("unshare", CLONE_NEWNET)
    rc, err = sc("clone", CLONE_NEWUSER | CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0)
    if rc == 0:
        os._exit(0)  # we are a child in new namespaces: the escape worked; leave quietly
    if rc > 0:
        os.waitpid(rc, 0)
    report["clone(NEWUSER|NEWPID)"] = (rc, err)
    report["mount(tmpfs)"] = sc(
        "mount",
        ctypes.c_char_p(b"none"),
        ctypes.c_char_p(mount_target.encode()),
        ctypes.c_char_p(b"tmpfs"),
        0,
        0,
    )
    report["ptrace(ATTACH, host)"] = sc("ptrace", PTRACE_ATTACH, host_pid, 0, 0)
    report["ptrace(ATTACH, ppid)"] = sc("ptrace", PTRACE_ATTACH, os.getppid(), 0, 0)
    report["ptrace(TRACEME)"] = sc("ptrace", PTRACE_TRACEME, 0, 0, 0)
    fd = (
        os.open("/proc/%d/ns/mnt" % host_pid, os.O_RDONLY)
        if os.path.exists("/proc/%d/ns/mnt" % host_pid)
        else -1
    )
    report["setns(host mnt)"] = sc("setns", fd, 0) if fd >= 0 else "no /proc access"
    report["chroot"] = sc("chroot", ctypes.c_char_p(b"."))
    report["pivot_root"] = sc("pivot_root", ctypes.c_char_p(b"."), ctypes.c_char_p(b"."))
    report["setuid(0)"] = sc("setuid", 0)
    params = ctypes.create_string_buffer(120)
    report["io_uring_setup"] = sc("io_uring_setup", 8, params)
    report["bpf"] = sc("bpf", 0, 0, 0)
    report["perf_event_open"] = sc("perf_event_open", 0, 0, -1, -1, 0)
    report["userfaultfd"] = sc("userfaultfd", 0)
    report["keyctl"] = sc("keyctl", 0, 0)
    return report
