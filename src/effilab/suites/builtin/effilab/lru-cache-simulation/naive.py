def simulate_lru(capacity: int, operations: list[tuple]) -> list[int]:
    cache = {}
    order = []  # least recently used first
    results = []
    for op in operations:
        if op[0] == "get":
            key = op[1]
            if key in cache:
                order.remove(key)
                order.append(key)
                results.append(cache[key])
            else:
                results.append(-1)
        else:
            key, value = op[1], op[2]
            if key in cache:
                order.remove(key)
            elif len(cache) >= capacity:
                oldest = order.pop(0)
                del cache[oldest]
            cache[key] = value
            order.append(key)
    return results
