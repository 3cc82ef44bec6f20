"""Blocks in a sleep far longer than any limit (uses no CPU, so only the wall clock can stop it)."""

import time


def f():
    time.sleep(100)
    return "woke up"
