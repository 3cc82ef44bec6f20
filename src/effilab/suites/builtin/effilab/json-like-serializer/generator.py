WORDS = [
    "alpha",
    "beta",
    "Gamma",
    "delta",
    "naïve",
    "café",
    "日本",
    "emoji 🎉",
    "tab\there",
    "line\nbreak",
    'quote"d',
    "back\\slash",
    "ctl\x01\x1f",
    "bell\x07",
    "cr\r",
    "ff\f",
    "bs\b",
    "plain text",
    "",
    "x" * 40,
]
KEYS = ["id", "name", "tags", "meta", "Zeta", "_private", "a b", "é", "count", "active", "parent", "note"]


def _text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))


def _value(rng, depth):
    r = rng.random()
    if depth > 3 or r < 0.45:
        return _text(rng)
    if r < 0.55:
        return rng.randint(-(10**6), 10**6) if rng.random() < 0.9 else rng.randint(-(10**30), 10**30)
    if r < 0.62:
        return rng.choice([True, False, None])
    if r < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    return {
        rng.choice(KEYS) + str(rng.randint(0, 9)): _value(rng, depth + 1) for _ in range(rng.randint(0, 5))
    }


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            {},
            None,
            {"b": [1, True, None], "a": 'say "hi"\n'},
            [0, -5, 10**25, False, "", "\x00\x7f\u2028é🎉"],
            {"z": {"y": {"x": [[[]]]}}, "": "empty key", "Z": "upper"},
            'just a string with \\ and " and \t',
        ]
        if case < len(corner):
            return (corner[case],)
    records = []
    for i in range(size):
        record = {
            "id": i,
            "name": _text(rng),
            "description": _text(rng) + _text(rng),
            "active": rng.random() < 0.5,
        }
        for _ in range(rng.randint(1, 4)):
            record[rng.choice(KEYS)] = _value(rng, 1)
        records.append(record)
    return ({"version": 3, "records": records, "owner": _text(rng)},)
