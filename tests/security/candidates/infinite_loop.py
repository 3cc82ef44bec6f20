"""Spins forever in pure Python."""


def f():
    n = 0
    while True:
        n += 1
