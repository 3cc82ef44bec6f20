"""Collects every environment it can see: its own and, through /proc, everybody else's."""

import os


def f():
    seen = {"os.environ": dict(os.environ)}
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError as exc:
        pids = []
        seen["listdir /proc"] = repr(exc)
    for pid in ["self", str(os.getppid()), "1", *pids]:
        try:
            with open("/proc/%s/environ" % pid, "rb") as handle:
                seen["/proc/%s/environ" % pid] = handle.read().decode("utf-8", "replace")
        except OSError as exc:
            seen["/proc/%s/environ" % pid] = "denied: " + repr(exc)
    return seen
