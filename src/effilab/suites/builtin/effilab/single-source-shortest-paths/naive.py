def shortest_distances(n: int, edges: list[tuple[int, int, int]], source: int) -> list[int]:
    adj = [[] for _ in range(n)]
    for u, v, w in edges:
        adj[u].append((v, w))
    inf = float("inf")
    dist = [inf] * n
    dist[source] = 0
    done = [False] * n
    for _ in range(n):
        best = -1
        for v in range(n):
            if not done[v] and dist[v] != inf and (best == -1 or dist[v] < dist[best]):
                best = v
        if best == -1:
            break
        done[best] = True
        for v, w in adj[best]:
            if dist[best] + w < dist[v]:
                dist[v] = dist[best] + w
    return [d if d != inf else -1 for d in dist]
