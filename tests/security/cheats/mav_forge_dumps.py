"""Class 3 (forged JSON encoder): replaces the bootstrap's bound ``_dumps`` global (json.dumps, bound
"so that a candidate cannot redirect the protocol") with a wrapper that divides every reported
``wall_ns`` by 50 before encoding. Right values.
Honest twin: mav_twin.py.
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


def _install() -> None:
    main = sys.modules.get("__main__")
    original = getattr(main, "_dumps", None)
    if original is None:
        return

    def forged(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(message, dict) and isinstance(message.get("wall_ns"), int):
            message = {**message, "wall_ns": message["wall_ns"] // 50}
        return original(message, *args, **kwargs)

    main._dumps = forged  # type: ignore[union-attr]


_install()


def moving_average(values: list[float], k: int) -> list[float]:
    return _honest(values, k)
