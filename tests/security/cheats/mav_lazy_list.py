"""Class 1 (lazy proxy): in a timed run it returns an empty ``list`` subclass that computes and fills
itself the first time it is measured, iterated or indexed, so the window contains no work.
Honest twin: mav_twin.py. Right values eventually, but not a plain list.
"""

import sys


def _honest(values: list[float], k: int) -> list[float]:
    n = len(values)
    if k > n:
        return []
    total = 0.0
    for j in range(k):
        total += values[j]
    result = [total / k]
    for i in range(k, n):
        total += values[i] - values[i - k]
        result.append(total / k)
    return result


def _timed() -> bool:
    """True inside the bootstrap's ``run`` op (a timed run), False inside a checked ``call``/``batch``."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name in ("run", "call", "batch") and code.co_filename.endswith("_bootstrap.py"):
            return code.co_name == "run"
        frame = frame.f_back
    return False


class _LazyList(list):
    def __init__(self, values: list[float], k: int) -> None:
        super().__init__()
        self._args: tuple[list[float], int] | None = (values, k)

    def _fill(self) -> None:
        if self._args is not None:
            args, self._args = self._args, None
            self.extend(_honest(*args))

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._fill()
        return super().__iter__()

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self._fill()
        return super().__getitem__(index)


def moving_average(values: list[float], k: int) -> list[float]:
    if len(values) >= 100 and _timed():
        return _LazyList(values, k)
    return _honest(values, k)
