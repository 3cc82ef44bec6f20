"""Floods stdout or stderr without end."""

import os
import sys


def f(mode):
    chunk = "x" * 65535 + "\n"
    while True:
        if mode == "print":
            print(chunk, end="")
        elif mode == "stdout_fd":
            os.write(1, chunk.encode())
        elif mode == "stderr_fd":
            os.write(2, chunk.encode())
        else:
            sys.stderr.write(chunk)
