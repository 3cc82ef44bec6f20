"""Tries to fill the disk: one file far beyond the file-size limit, written or extended."""

import os


def f(mode, size_mb, name):
    if mode == "write":
        chunk = b"\0" * (1 << 20)
        with open(name, "wb") as handle:
            for _ in range(size_mb):
                handle.write(chunk)
                handle.flush()
        return os.path.getsize(name)
    if mode == "truncate":
        with open(name, "wb") as handle:
            handle.truncate(size_mb << 20)
        return os.path.getsize(name)
    if mode == "dev_shm":
        with open("/dev/shm/" + name, "wb") as handle:
            handle.write(b"\0" * (size_mb << 20))
        return os.path.getsize("/dev/shm/" + name)
    raise ValueError(mode)
