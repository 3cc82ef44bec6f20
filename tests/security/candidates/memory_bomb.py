"""Allocates memory without end."""


def f(mode):
    if mode == "single":
        return len(bytearray(64 << 30))  # one 64 GiB allocation
    hoard = []
    while True:
        hoard.append(b"x" * (16 << 20))  # bytes * n writes every page: real, resident memory
