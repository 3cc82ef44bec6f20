"""SIGKILLs its parent process."""

import os
import signal


def f():
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except PermissionError as exc:
        return "PermissionError: %s" % exc
    return "parent killed"
