from collections import Counter


def component_sizes(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))
    for u, v in edges:
        # find with path halving, inlined
        while parent[u] != u:
            parent[u] = u = parent[parent[u]]
        while parent[v] != v:
            parent[v] = v = parent[parent[v]]
        if u != v:
            parent[u] = v
    roots = []
    append = roots.append
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        # compress the whole path to the root
        while parent[x] != r:
            parent[x], x = r, parent[x]
        append(r)
    return sorted(Counter(roots).values(), reverse=True)
