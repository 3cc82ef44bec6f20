from math import dist, inf

try:
    import numpy as np
except ImportError:  # numpy is optional: fall back to a pruned pure-Python sweep
    np = None

_NUMPY_MIN = 32  # below this many points, array conversion costs more than it saves
_BLOCK_CELLS = 1 << 20  # rows per block chosen so a block of differences stays ~8 MB


def _numpy_nearest(points: list[list[float]]) -> list[float]:
    p = np.asarray(points, dtype=np.float64)
    n, d = p.shape
    block = max(1, _BLOCK_CELLS // (n * max(d, 1)))
    out = np.empty(n)
    for start in range(0, n, block):
        stop = min(n, start + block)
        diff = p[start:stop, None, :] - p[None, :, :]  # exact differences: no cancellation
        sq = np.einsum("ijk,ijk->ij", diff, diff)
        sq[np.arange(stop - start), np.arange(start, stop)] = np.inf  # skip the point itself
        out[start:stop] = sq.min(axis=1)
    return np.sqrt(out).tolist()


def nearest_distances(points: list[list[float]]) -> list[float]:
    n = len(points)
    if np is not None and n >= _NUMPY_MIN:
        return _numpy_nearest(points)
    # Pure Python: sort along the widest axis; from each point, scan outwards in both directions
    # and stop once the gap along that axis alone reaches the best distance found so far.
    pts = list(map(tuple, points))  # math.dist would convert lists to tuples on every call
    d = len(pts[0])
    axis = max(range(d), key=lambda t: max(p[t] for p in pts) - min(p[t] for p in pts))
    order = sorted(range(n), key=lambda i: pts[i][axis])
    sp = [pts[i] for i in order]
    xs = [p[axis] for p in sp]
    out = [0.0] * n
    for r in range(n):
        p = sp[r]
        x = xs[r]
        b = inf
        k = r + 1
        while k < n and xs[k] - x < b:
            dd = dist(p, sp[k])
            if dd < b:
                b = dd
            k += 1
        k = r - 1
        while k >= 0 and x - xs[k] < b:
            dd = dist(p, sp[k])
            if dd < b:
                b = dd
            k -= 1
        out[order[r]] = b
    return out
