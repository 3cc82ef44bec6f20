from collections import OrderedDict


def simulate_lru(capacity: int, operations: list[tuple]) -> list[int]:
    cache: OrderedDict[int, int] = OrderedDict()
    get = cache.get
    touch = cache.move_to_end
    evict = cache.popitem
    results = []
    report = results.append
    size = 0
    for op in operations:
        key = op[1]
        if len(op) == 2:  # ("get", key)
            value = get(key)
            if value is None:
                report(-1)
            else:
                touch(key)
                report(value)
        elif key in cache:
            touch(key)
            cache[key] = op[2]
        else:
            if size == capacity:
                evict(False)
            else:
                size += 1
            cache[key] = op[2]
    return results
