"""At import time, reads everything it can from every file descriptor (and stdin) hoping to see the
arguments of the coming call; the call returns what it saw."""

import os
import resource
import sys

SEEN = []
PROBED = []

for fd in range(0, resource.getrlimit(resource.RLIMIT_NOFILE)[0]):
    try:
        was_blocking = os.get_blocking(fd)
    except OSError:
        continue
    PROBED.append(fd)
    try:
        os.set_blocking(fd, False)
        try:
            data = os.read(fd, 1 << 20)
            if data:
                SEEN.append("fd %d: %s" % (fd, data.decode("utf-8", "replace")))
        finally:
            os.set_blocking(fd, was_blocking)
    except OSError as exc:
        SEEN.append("fd %d: %s" % (fd, type(exc).__name__))
try:
    SEEN.append("stdin: " + sys.stdin.read())
except Exception as exc:
    SEEN.append("stdin: " + type(exc).__name__)
for path in ("/proc/self/cmdline", "/proc/self/environ"):
    try:
        with open(path, "rb") as handle:
            SEEN.append(path + ": " + handle.read().decode("utf-8", "replace"))
    except OSError as exc:
        SEEN.append(path + ": " + type(exc).__name__)


def f(secret):
    return {"probed": PROBED, "seen_at_import": SEEN}
