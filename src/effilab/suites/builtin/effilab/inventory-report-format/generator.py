WORDS = [
    "tools",
    "food",
    "garden",
    "toys",
    "books",
    "paint",
    "office",
    "kitchen",
    "bath",
    "pets",
    "auto",
    "sports",
    "music",
    "lighting",
    "cables",
    "storage",
    "Outdoor",
    "électro",
    "hats",
    "shoes",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [("B-2", "tools", 3, 250), ("A-1", "tools", 1, 1999), ("Z", "food", 1000, 12345)],
            [("X", "c", 0, 0), ("X", "c", 1, 5), ("W", "c", 2, 0)],
            [("SKU-12345678", "big", 99999999, 999999999)],
            [("a", "B", 1, 100), ("b", "a", 1, 100), ("c", "", 1, 1)],
            [("h", "x", 10**12, 10**6 + 7), ("i", "x", 2**40, 1023), ("j", "y", 3, 2**52 + 1)],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    n_categories = max(1, size // 20) if level else rng.randint(1, 3)
    categories = [f"{rng.choice(WORDS)}-{i:03d}" for i in range(n_categories)]
    items = []
    for _ in range(size if level else rng.randint(1, 8)):
        sku = f"{rng.choice('ABCDEFGH')}{rng.randint(0, 99999):05d}" + ("-X" if rng.random() < 0.1 else "")
        quantity = rng.randint(0, 5000) if rng.random() < 0.95 else rng.randint(0, 10**7)
        price = rng.randint(0, 250_000)
        items.append((sku, rng.choice(categories), quantity, price))
    return (items,)
