"""Defines no `f`."""


def g():
    return 1
