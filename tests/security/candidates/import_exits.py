"""Calls sys.exit while being imported."""

import sys

sys.exit(0)


def f():
    return 1
