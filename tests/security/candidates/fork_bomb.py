"""A fork bomb: every process keeps forking for `seconds`, then holds on to its slot.

Every successful fork writes one byte on a shared pipe; the root counts them at the end, so the value is
the number of processes the whole tree managed to create.
"""

import os
import time


def f(seconds):
    r, w = os.pipe()
    os.set_blocking(r, False)
    deadline = time.monotonic() + seconds
    root_failures = 0
    is_child = False
    try:
        while time.monotonic() < deadline:
            try:
                pid = os.fork()
            except OSError:
                if not is_child:
                    root_failures += 1
                continue
            if pid == 0:
                is_child = True  # the child joins the bomb
                continue
            os.write(w, b"x")
        while is_child:
            time.sleep(1)  # keep the slot until someone kills us
    finally:
        if is_child:
            os._exit(0)  # a child must never return into the sandbox's bootstrap
    forks = 0
    while True:
        try:
            chunk = os.read(r, 65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        forks += len(chunk)
    return {"forks": forks, "root_failures": root_failures}
