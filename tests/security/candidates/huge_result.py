"""Returns a value far larger than the result cap."""


def f(n_bytes):
    return "x" * n_bytes
