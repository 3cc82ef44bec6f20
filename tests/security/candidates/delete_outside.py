"""Tries to delete, move, truncate or overwrite a host file and remove a host directory."""

import os


def attempt(action):
    try:
        action()
        return "done"
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def f(path, directory):
    report = {}
    report["remove"] = attempt(lambda: os.remove(path))
    report["unlink"] = attempt(lambda: os.unlink(path))
    report["rename"] = attempt(lambda: os.rename(path, path + ".moved"))
    report["truncate"] = attempt(lambda: os.truncate(path, 0))
    report["open_w"] = attempt(lambda: open(path, "w").close())
    report["open_a"] = attempt(lambda: open(path, "a").write("appended"))
    report["rmdir"] = attempt(lambda: os.rmdir(directory))
    os.symlink(path, "link")
    report["truncate_via_symlink"] = attempt(lambda: open("link", "w").close())
    report["hardlink_then_write"] = attempt(
        lambda: (os.link(path, "hardlink"), open("hardlink", "w").close())
    )
    return report
