from operator import itemgetter


def dedupe(records: list[dict[str, object]], key_fields: list[str]) -> list[dict[str, object]]:
    n = len(records)
    # itemgetter builds every key (a tuple, or the bare value for one field) in C.
    keys = map(itemgetter(*key_fields), reversed(records))
    # Fed back to front, the last write for a key is its *first* index; all of it runs in C.
    first = dict(zip(keys, range(n - 1, -1, -1)))
    return list(map(records.__getitem__, sorted(first.values())))
