"""Goes around Python to the C library and to raw system calls."""

import ctypes
import os
import socket
import struct

SYS_socket, SYS_connect, SYS_kill, SYS_execve, SYS_tgkill = 41, 42, 62, 59, 234


def libc():
    lib = ctypes.CDLL(None, use_errno=True)
    lib.syscall.restype = ctypes.c_long
    return lib


def result(value):
    return "rc=%s errno=%s" % (value, ctypes.get_errno())


def f(mode, host_marker, host_pid, signum, tcp_port):
    lib = libc()
    script = b"touch ctypes-marker; touch " + host_marker.encode() + b"; echo EXEC-WORKED"
    if mode == "system":
        return result(lib.system(script))
    if mode == "execv":
        argv = (ctypes.c_char_p * 4)(b"/bin/sh", b"-c", script, None)
        return result(lib.execv(b"/bin/sh", argv))
    if mode == "raw_execve":
        argv = (ctypes.c_char_p * 4)(b"/bin/sh", b"-c", script, None)
        envp = (ctypes.c_char_p * 1)(None)
        return result(lib.syscall(ctypes.c_long(SYS_execve), ctypes.c_char_p(b"/bin/sh"), argv, envp))
    if mode == "kill":
        return {
            "libc.kill(host)": result(lib.kill(host_pid, signum)),
            "libc.kill(-1)": result(lib.kill(-1, signum)),
            "syscall kill(ppid)": result(
                lib.syscall(ctypes.c_long(SYS_kill), ctypes.c_long(os.getppid()), ctypes.c_long(signum))
            ),
            "syscall tgkill(host)": result(
                lib.syscall(
                    ctypes.c_long(SYS_tgkill),
                    ctypes.c_long(host_pid),
                    ctypes.c_long(host_pid),
                    ctypes.c_long(signum),
                )
            ),
        }
    if mode == "socket":
        fd = lib.syscall(
            ctypes.c_long(SYS_socket),
            ctypes.c_long(socket.AF_INET),
            ctypes.c_long(socket.SOCK_STREAM),
            ctypes.c_long(0),
        )
        report = {"socket": result(fd)}
        if fd >= 0:
            addr = struct.pack("=H", socket.AF_INET) + struct.pack("!H", tcp_port)
            addr += socket.inet_aton("127.0.0.1") + bytes(8)
            buf = ctypes.create_string_buffer(addr, len(addr))
            report["connect"] = result(
                lib.syscall(ctypes.c_long(SYS_connect), ctypes.c_long(fd), buf, ctypes.c_long(len(addr)))
            )
            os.write(fd, b"pwned-ctypes")
        return report
    raise ValueError(mode)
