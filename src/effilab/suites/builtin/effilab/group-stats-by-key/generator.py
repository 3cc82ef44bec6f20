def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [{"dept": "solo", "amount": 7}],
            [
                {"dept": "b", "amount": 5},
                {"dept": "a", "amount": 1},
                {"dept": "b", "amount": -2},
                {"dept": "b", "amount": 9},
            ],
            [
                {"dept": "x", "amount": 3, "note": "dup"},
                {"dept": "x", "amount": 3},
                {"dept": "X", "amount": -3},
            ],
            [
                {"dept": "", "amount": 0},
                {"dept": "a b", "amount": -10},
                {"dept": "", "amount": 10},
                {"dept": "", "amount": 4},
            ],
        ]
        if case < len(corner):
            return (corner[case], "dept", "amount")
    n_groups = max(1, size // 25)
    names = [f"{rng.choice(['sales', 'ops', 'eng', 'hr', 'legal'])}-{i:04d}" for i in range(n_groups)]
    records = []
    for i in range(size):
        records.append(
            {
                "id": i,
                "region": rng.choice(["north", "south", "east", "west"]),
                "dept": rng.choice(names),
                "amount": rng.randint(-1000, 100_000),
            }
        )
    return (records, "dept", "amount")
