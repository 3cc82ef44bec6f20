from operator import itemgetter


def group_stats(
    records: list[dict[str, object]], key: str, value: str
) -> list[tuple[str, int, int, int, int, int]]:
    keys = list(map(itemgetter(key), records))
    values = list(map(itemgetter(value), records))
    groups: dict = {}
    get = groups.get
    for k, v in zip(keys, values):
        bucket = get(k)
        if bucket is None:
            groups[k] = [v]
        else:
            bucket.append(v)
    out = []
    append = out.append
    for group in sorted(groups):
        vals = groups[group]
        vals.sort()
        count = len(vals)
        append((group, count, sum(vals), vals[0], vals[-1], vals[(count - 1) >> 1]))
    return out
