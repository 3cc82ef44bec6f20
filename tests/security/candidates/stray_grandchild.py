"""Daemonises a grandchild (double fork, attempts setsid) that renames itself and sleeps forever."""

import ctypes
import os
import time

PR_SET_NAME = 15


def f(marker):
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(r)
            if os.fork() == 0:
                libc = ctypes.CDLL(None, use_errno=True)
                libc.prctl(PR_SET_NAME, ctypes.c_char_p(marker.encode()), 0, 0, 0)
                escaped = []
                for name, call in (("setsid", os.setsid), ("setpgid", lambda: os.setpgid(0, 0))):
                    try:
                        call()
                        escaped.append(name)
                    except OSError:
                        pass
                os.write(w, ("%d %s" % (os.getpid(), ",".join(escaped) or "-")).encode())
                os.close(w)
                while True:
                    time.sleep(1)
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(child, 0)
    pid, escaped = os.read(r, 100).decode().split()
    return {"pid": int(pid), "escaped": escaped}
