NAMES = [
    "db",
    "cache",
    "server",
    "http",
    "tls",
    "auth",
    "oauth",
    "providers",
    "github",
    "limits",
    "retry",
    "backoff",
    "logging",
    "handlers",
    "file",
    "level",
    "format",
    "metrics",
    "exporters",
    "prometheus",
    "features",
    "flags",
    "beta",
    "ui",
    "theme",
    "colors",
    "primary",
    "timeouts",
    "read",
    "write",
]


def _leaf(rng):
    r = rng.random()
    if r < 0.35:
        return rng.choice(["localhost", "info", "debug", "/var/log/app.log", "#ff0000", "", "on"])
    if r < 0.65:
        return rng.randint(-10, 100000)
    if r < 0.75:
        return rng.choice([True, False, None])
    if r < 0.85:
        return rng.random()
    return [rng.randint(0, 9) for _ in range(rng.randint(0, 3))] + ([{"x": 1}] if rng.random() < 0.2 else [])


def _tree(rng, budget, depth, counter):
    node = {}
    n_keys = rng.randint(1, 8)
    for _ in range(n_keys):
        key = f"{rng.choice(NAMES)}{counter[0]}"
        counter[0] += 1
        if budget[0] > 0 and depth < 27 and rng.random() < 0.4:
            node[key] = _tree(rng, budget, depth + 1, counter)
        else:
            budget[0] -= 1
            node[key] = _leaf(rng) if rng.random() < 0.97 else {}
    return node


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            {},
            {"db": {"host": "x", "port": 5432, "opts": {}}, "debug": True, "tags": [{"a": 1}]},
            {"a": {"b": {"c": {"d": {"e": None}}}}},
            {"x": {}, "y": {"z": {}}},
            {"k": 1.5, "l": [], "m": {"n": [1, 2], "o": {"p": "q"}}},
        ]
        if case < len(corner):
            return (corner[case],)
    root = {}
    counter = [0]
    while counter[0] < size:
        budget = [size // 20]
        root[f"section{counter[0]}"] = _tree(rng, budget, 0, counter)
        counter[0] += 1
    return (root,)
