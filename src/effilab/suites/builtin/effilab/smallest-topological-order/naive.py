def topo_order(n: int, edges: list[tuple[int, int]]) -> list[int]:
    indegree = [0] * n
    successors = [[] for _ in range(n)]
    for u, v in edges:
        successors[u].append(v)
        indegree[v] += 1
    placed = [False] * n
    order = []
    for _ in range(n):
        chosen = -1
        for v in range(n):
            if not placed[v] and indegree[v] == 0:
                chosen = v
                break
        if chosen == -1:
            return []
        placed[chosen] = True
        order.append(chosen)
        for w in successors[chosen]:
            indegree[w] -= 1
    return order
