from operator import itemgetter

_weight = itemgetter(2)


def mst_weight(n: int, edges: list[tuple[int, int, int]]) -> int:
    # Kruskal: C-level sort by weight, inlined union-find (path halving + union by size),
    # stop as soon as the forest can no longer grow (n - 1 merges).
    parent = list(range(n))
    size = [1] * n
    merges_left = n - 1
    total = 0
    if merges_left <= 0:
        return 0
    for u, v, w in sorted(edges, key=_weight):
        pu = parent[u]
        while pu != u:
            gp = parent[pu]
            parent[u] = gp
            u = gp
            pu = parent[u]
        pv = parent[v]
        while pv != v:
            gp = parent[pv]
            parent[v] = gp
            v = gp
            pv = parent[v]
        if u != v:
            if size[u] < size[v]:
                u, v = v, u
            parent[v] = u
            size[u] += size[v]
            total += w
            merges_left -= 1
            if not merges_left:
                break
    return total
