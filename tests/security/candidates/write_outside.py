"""Tries every way it knows to create files outside its private tmp dir; reports what happened."""

import os


def attempt(action):
    try:
        action()
        return "done"
    except BaseException as exc:
        return "denied: %s: %s" % (type(exc).__name__, exc)


def write(path, text="pwned"):
    with open(path, "w") as handle:
        handle.write(text)


def f(host_dir, token):
    target = os.path.join(host_dir, "pwned.txt")
    via_link = os.path.join(host_dir, "pwned-via-symlink.txt")
    via_rename = os.path.join(host_dir, "pwned-via-rename.txt")
    report = {}
    report["open"] = attempt(lambda: write(target))
    report["os.open"] = attempt(lambda: os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644)))
    report["mkdir"] = attempt(lambda: os.mkdir(os.path.join(host_dir, "pwned-dir")))
    report["mkfifo"] = attempt(lambda: os.mkfifo(os.path.join(host_dir, "pwned-fifo")))
    report["symlink_out"] = attempt(
        lambda: os.symlink("/etc/passwd", os.path.join(host_dir, "pwned-symlink"))
    )
    os.symlink(via_link, "link-out")  # inside its own tmp: allowed; writing through it must not be
    report["write_through_symlink"] = attempt(lambda: write("link-out"))
    write("inside.txt")
    report["rename_out"] = attempt(lambda: os.rename("inside.txt", via_rename))
    # Escape the private tmp dir by relative path, and write to what the host calls /tmp.
    report["parent_of_tmp"] = attempt(lambda: write(os.path.join(os.getcwd(), "..", "escape-" + token)))
    report["host_tmp"] = attempt(lambda: write("/tmp/effilab-escape-" + token))
    report["dev_shm"] = attempt(lambda: write("/dev/shm/effilab-escape-" + token))
    return report
