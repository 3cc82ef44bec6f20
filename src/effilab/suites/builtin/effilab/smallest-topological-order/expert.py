from heapq import heappop, heappush


def topo_order(n: int, edges: list[tuple[int, int]]) -> list[int]:
    indegree = [0] * n
    successors: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    ready = [v for v in range(n) if not indegree[v]]  # increasing, hence already a valid heap
    order = []
    append = order.append
    while ready:
        u = heappop(ready)
        append(u)
        for v in successors[u]:
            d = indegree[v] - 1
            indegree[v] = d
            if not d:
                heappush(ready, v)
    return order if len(order) == n else []
