def component_sizes(n: int, edges: list[tuple[int, int]]) -> list[int]:
    label = list(range(n))
    for u, v in edges:
        a, b = label[u], label[v]
        if a != b:
            for i in range(n):
                if label[i] == b:
                    label[i] = a
    sizes = {}
    for x in label:
        sizes[x] = sizes.get(x, 0) + 1
    return sorted(sizes.values(), reverse=True)
