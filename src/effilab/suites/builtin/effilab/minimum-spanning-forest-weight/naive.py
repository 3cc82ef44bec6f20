def _connected(forest, a, b):
    seen = {a}
    stack = [a]
    while stack:
        u = stack.pop()
        if u == b:
            return True
        for v in forest[u]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return False


def mst_weight(n: int, edges: list[tuple[int, int, int]]) -> int:
    forest = [[] for _ in range(n)]
    total = 0
    for u, v, w in sorted(edges, key=lambda e: e[2]):
        if not _connected(forest, u, v):
            forest[u].append(v)
            forest[v].append(u)
            total += w
    return total
