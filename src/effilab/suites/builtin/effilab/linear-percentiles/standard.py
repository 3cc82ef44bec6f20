def percentiles(data: list[float], qs: list[float]) -> list[float]:
    s = sorted(data)
    n = len(s)
    result = []
    for q in qs:
        pos = (n - 1) * q / 100
        lo = int(pos)
        hi = min(lo + 1, n - 1)
        result.append(s[lo] + (s[hi] - s[lo]) * (pos - lo))
    return result
