"""Remembers answers between calls: only the first call on an input pays."""

_seen = {}


def linear(n):
    if n not in _seen:
        total = 0
        for _ in range(40):
            for i in range(n):
                total += i
        _seen[n] = total // 40
    return _seen[n]
