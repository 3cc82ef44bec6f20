def component_sizes(n: int, edges: list[tuple[int, int]]) -> list[int]:
    # One linear pass to build adjacency lists, then an iterative DFS per unvisited vertex: O(V + E).
    adj: list[list[int]] = [[] for _ in range(n)]
    for u, v in edges:
        adj[u].append(v)
        adj[v].append(u)
    seen = [False] * n
    sizes = []
    for s in range(n):
        if seen[s]:
            continue
        seen[s] = True
        stack = [s]
        pop = stack.pop
        push = stack.append
        size = 0
        while stack:
            size += 1
            for v in adj[pop()]:
                if not seen[v]:
                    seen[v] = True
                    push(v)
        sizes.append(size)
    sizes.sort(reverse=True)
    return sizes
