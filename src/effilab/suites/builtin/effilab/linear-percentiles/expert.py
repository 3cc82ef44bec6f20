try:
    import numpy as np
except ImportError:  # numpy is optional: fall back to one C-level sort
    np = None

_NUMPY_MIN = 256  # below this many values, converting to an array costs more than it saves


def percentiles(data: list[float], qs: list[float]) -> list[float]:
    n = len(data)
    if np is not None and n >= _NUMPY_MIN and qs:
        # np.percentile partitions around the needed order statistics only (no full sort).
        return np.percentile(np.asarray(data, dtype=np.float64), np.asarray(qs, dtype=np.float64)).tolist()
    s = sorted(data)
    last = n - 1
    result = []
    append = result.append
    for q in qs:
        pos = last * q / 100
        lo = int(pos)
        if lo >= last:
            append(s[last])
        else:
            a = s[lo]
            append(a + (s[lo + 1] - a) * (pos - lo))
    return result
