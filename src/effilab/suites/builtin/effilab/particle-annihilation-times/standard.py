import heapq
from fractions import Fraction


def annihilation_times(positions: list[int], velocities: list[int]) -> list[float]:
    n = len(positions)
    order = sorted(range(n), key=lambda i: positions[i])
    # doubly linked list over the particles in position order
    nxt = {order[k]: order[k + 1] for k in range(n - 1)}
    prv = {order[k + 1]: order[k] for k in range(n - 1)}
    dead: dict[int, Fraction] = {}

    def event(a: int, b: int):
        if velocities[a] > velocities[b]:
            return (Fraction(positions[b] - positions[a], velocities[a] - velocities[b]), a, b)
        return None

    heap = [e for e in (event(order[k], order[k + 1]) for k in range(n - 1)) if e]
    heapq.heapify(heap)
    while heap:
        t = heap[0][0]
        killed = set()
        while heap and heap[0][0] == t:
            _, a, b = heapq.heappop(heap)
            if a not in dead and b not in dead:  # both alive => still neighbours
                killed.add(a)
                killed.add(b)
        for i in killed:
            dead[i] = t
        for i in killed:
            p, q = prv.get(i), nxt.get(i)
            if p is not None:
                if q is None:
                    del nxt[p]
                else:
                    nxt[p] = q
            if q is not None:
                if p is None:
                    del prv[q]
                else:
                    prv[q] = p
        for i in killed:
            p = prv.get(i)
            while p is not None and p in dead:
                p = prv.get(p)
            if p is not None and p in nxt:
                e = event(p, nxt[p])
                if e:
                    heapq.heappush(heap, e)
    return [float(dead[i]) if i in dead else -1.0 for i in range(n)]
