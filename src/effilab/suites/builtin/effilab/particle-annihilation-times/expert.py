from heapq import heapify, heappop, heappush

_SCALE = 60  # every speed difference (1..6) divides 60: time * 60 is an exact integer


def annihilation_times(positions: list[int], velocities: list[int]) -> list[float]:
    n = len(positions)
    order = sorted(range(n), key=positions.__getitem__)
    xs = [positions[i] for i in order]
    vs = [velocities[i] for i in order]
    # linked list over ranks 0..n-1 in position order; -1 and n are the ends
    nxt = list(range(1, n + 1))
    prv = list(range(-1, n - 1))
    when = [-1] * n  # destruction time * 60, by rank
    heap = [
        ((xs[k + 1] - xs[k]) * _SCALE // (vs[k] - vs[k + 1]), k, k + 1)
        for k in range(n - 1)
        if vs[k] > vs[k + 1]
    ]
    heapify(heap)
    while heap:
        t = heap[0][0]
        killed = []
        while heap and heap[0][0] == t:
            _, a, b = heappop(heap)
            wa, wb = when[a], when[b]
            # alive (or destroyed at this very moment) => the pair is still adjacent
            if (wa < 0 or wa == t) and (wb < 0 or wb == t):
                if wa < 0:
                    when[a] = t
                    killed.append(a)
                if wb < 0:
                    when[b] = t
                    killed.append(b)
        for i in killed:
            p, q = prv[i], nxt[i]
            if p >= 0:
                nxt[p] = q
            if q < n:
                prv[q] = p
        for i in killed:
            p = prv[i]
            while p >= 0 and when[p] >= 0:
                p = prv[p]
            if p >= 0:
                q = nxt[p]
                if q < n and vs[p] > vs[q]:
                    heappush(heap, ((xs[q] - xs[p]) * _SCALE // (vs[p] - vs[q]), p, q))
    result = [-1.0] * n
    for k in range(n):
        if when[k] >= 0:
            result[order[k]] = when[k] / _SCALE
    return result
