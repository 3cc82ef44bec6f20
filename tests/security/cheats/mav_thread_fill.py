"""Class 1 (work moved out of the window): in a timed run it returns an empty plain list at once and a
background thread fills it in afterwards, while the parent talks to the anchor.
Honest twin: mav_twin.py. A plain list whose content is right only after the window.
"""

import sys
import threading


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


def _fill(out: list[float], values: list[float], k: int) -> None:
    out.extend(_honest(values, k))


def moving_average(values: list[float], k: int) -> list[float]:
    if len(values) >= 100 and _timed():
        out: list[float] = []
        threading.Thread(target=_fill, args=(out, values, k), daemon=True).start()
        return out
    return _honest(values, k)
