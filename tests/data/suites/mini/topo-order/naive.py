def topo_order(n: int, edges: list[list[int]]) -> list[int]:
    order = []
    placed = [False] * n
    for _ in range(n):
        indegree = [0] * n
        for u, v in edges:
            if not placed[u]:
                indegree[v] += 1
        for v in range(n):
            if not placed[v] and indegree[v] == 0:
                placed[v] = True
                order.append(v)
                break
    return order
