def check(args, expected, output):
    n, edges = args
    if type(output) is not list or any(type(v) is not int for v in output):
        return False
    if sorted(output) != list(range(n)):
        return False
    position = {v: i for i, v in enumerate(output)}
    return all(position[u] < position[v] for u, v in edges)
