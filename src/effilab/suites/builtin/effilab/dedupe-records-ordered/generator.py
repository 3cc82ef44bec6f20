FIRST = ["ann", "bob", "cho", "dev", "eve", "fay", "gus", "hal", "ivy", "jon", "kim", "lee", "max", "nia"]
LAST = ["smith", "jones", "ng", "garcia", "kumar", "olsen", "rossi", "novak", "kim", "diaz"]
CITIES = ["oslo", "lima", "pune", "kyiv", "rome", "lyon"]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ([], ["id"]),
            ([{"email": "a@x", "n": 1}, {"email": "b@x", "n": 2}, {"email": "a@x", "n": 3}], ["email"]),
            ([{"id": 1}], ["id"]),
            ([{"a": 1, "b": "1"}, {"a": "1", "b": 1}, {"a": 1, "b": "1"}, {"a": 1, "b": 1}], ["a", "b"]),
            ([{"k": 0, "v": i} for i in range(5)], ["k"]),
            ([{"k": i, "v": 0} for i in range(5)], ["k", "v"]),
            ([{"x": "p", "y": "q"}, {"x": "p", "y": "r"}, {"x": "p", "y": "q"}], ["y"]),
        ]
        if case < len(corner):
            records, fields = corner[case]
            return ([dict(r) for r in records], list(fields))
    n_people = max(1, size * 2 // 3)
    people = []
    for i in range(n_people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append(
            {
                "first": first,
                "last": last,
                "city": rng.choice(CITIES),
                "email": f"{first}.{last}{i}@example.com",
                "zip": rng.randint(1000, 9999),
            }
        )
    records = []
    for i in range(size):
        person = rng.choice(people)
        record = dict(person)
        record["row"] = i
        record["source"] = rng.choice(["crm", "web", "import"])
        records.append(record)
    fields = rng.choice([["email"], ["first", "last", "zip"], ["email", "city"]])
    return (records, fields)
