"""Writes forged protocol replies claiming success with the value 42 -- on stdout and stderr only, or also
on every other open file descriptor -- and then returns its real value."""

import os
import resource
import sys

FORGED = b'{"op": "result", "status": "ok", "value": 42, "wall_ns": 1, "cpu_ns": 1, "peak_rss_kib": 1}\n'


def f(mode, real_value):
    if mode in ("std_streams", "all_fds"):
        sys.stdout.write(FORGED.decode())
        sys.stdout.flush()
        sys.stderr.write(FORGED.decode())
        sys.stderr.flush()
        os.write(1, FORGED)
        os.write(2, FORGED)
    if mode == "all_fds":
        for fd in range(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0]):
            try:
                os.write(fd, FORGED)
            except OSError:
                pass
    return real_value
