"""Swallows every exception (timeouts delivered as exceptions included) around an endless loop."""

import time


def f(mode):
    while True:
        try:
            while True:
                if mode == "sleep":
                    time.sleep(10)
        except BaseException:
            pass
