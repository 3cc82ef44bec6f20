from heapq import heappop, heappush


def shortest_distances(n: int, edges: list[tuple[int, int, int]], source: int) -> list[int]:
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e in edges:
        adj[e[0]].append((e[1], e[2]))
    best = [None] * n  # tentative distances: push only improvements (fewer stale heap entries)
    best[source] = 0
    dist = [-1] * n
    heap = [(0, source)]
    left = n
    while heap:
        d, u = heappop(heap)
        if dist[u] != -1:
            continue
        dist[u] = d
        left -= 1
        if not left:
            break
        for v, w in adj[u]:
            nd = d + w
            b = best[v]
            if b is None or nd < b:
                best[v] = nd
                heappush(heap, (nd, v))
    return dist
