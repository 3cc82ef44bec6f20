import math


def percentiles(data: list[float], qs: list[float]) -> list[float]:
    result = []
    for q in qs:
        s = sorted(data)
        n = len(s)
        pos = (n - 1) * q / 100
        lo = math.floor(pos)
        hi = min(lo + 1, n - 1)
        result.append(s[lo] + (s[hi] - s[lo]) * (pos - lo))
    return result
