"""Lifts the recursion limit and recurses without end, in Python frames or through C."""

import sys


class Mirror:
    def __repr__(self):
        return repr(self)  # every level goes through the C implementation of repr()


def down(n):
    return down(n + 1) + 1


def f(mode):
    sys.setrecursionlimit(10**6)
    if mode == "python":
        return down(0)
    return repr(Mirror())
