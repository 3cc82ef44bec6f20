"""Fails while being imported."""

raise RuntimeError("boom at import")


def f():
    return 1
