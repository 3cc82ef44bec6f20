"""Sends a signal to its parent, to the host test process, to the host's process group and to everyone."""

import os


def attempt(action):
    try:
        action()
        return "done"
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def f(signum, host_pid, host_pgid):
    return {
        "kill(getppid())": attempt(lambda: os.kill(os.getppid(), signum)),
        "kill(-1)": attempt(lambda: os.kill(-1, signum)),
        "kill(host_pid)": attempt(lambda: os.kill(host_pid, signum)),
        "killpg(host_pgid)": attempt(lambda: os.killpg(host_pgid, signum)),
        "kill(1)": attempt(lambda: os.kill(1, signum)),
    }
