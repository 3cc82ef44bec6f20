"""Tries to change a host file's metadata: permissions (incl. setuid), timestamps, extended attributes, owner."""

import os


def attempt(action):
    try:
        action()
        return "done"
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def f(path):
    report = {}
    report["chmod_setuid"] = attempt(lambda: os.chmod(path, 0o4777))
    report["utime"] = attempt(lambda: os.utime(path, (0, 0)))
    report["setxattr"] = attempt(lambda: os.setxattr(path, "user.effilab_pwned", b"1"))
    report["chown"] = attempt(lambda: os.chown(path, 65534, 65534))
    return report
