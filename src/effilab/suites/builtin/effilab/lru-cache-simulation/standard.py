from collections import OrderedDict


def simulate_lru(capacity: int, operations: list[tuple]) -> list[int]:
    cache: OrderedDict[int, int] = OrderedDict()
    results = []
    for op in operations:
        if op[0] == "get":
            key = op[1]
            if key in cache:
                cache.move_to_end(key)
                results.append(cache[key])
            else:
                results.append(-1)
        else:
            key, value = op[1], op[2]
            if key in cache:
                cache.move_to_end(key)
            elif len(cache) >= capacity:
                cache.popitem(last=False)
            cache[key] = value
    return results
