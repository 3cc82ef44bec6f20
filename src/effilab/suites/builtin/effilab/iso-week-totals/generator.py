from datetime import datetime, timedelta


def _stamp(base, seconds):
    return (base + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [("2021-01-03 23:59:59", 5), ("2021-01-04 00:00:00", 7), ("2020-12-28 08:00:00", -1)],
            [("1900-01-01 00:00:00", 0)],
            [("2100-12-31 12:30:00", 3), ("2100-12-27 00:00:01", -3), ("2008-12-29 10:00:00", 1)],
            [
                ("2015-12-31 00:00:00", 2),
                ("2016-01-03 00:00:00", 2),
                ("2016-01-04 00:00:00", 2),
                ("2015-12-31 00:00:00", 2),
            ],
        ]
        if case < len(corner):
            return (list(corner[case]),)
        base = datetime(rng.randint(1990, 2030), 12, 20)
        return (
            [
                (_stamp(base, rng.randint(0, 30 * 86400)), rng.randint(-50, 50))
                for _ in range(rng.randint(1, 8))
            ],
        )
    base = datetime(rng.randint(1995, 2025), rng.randint(1, 12), 1)
    span = rng.randint(300, 900) * 86400
    events = [(_stamp(base, rng.randint(0, span)), rng.randint(-500, 5000)) for _ in range(size)]
    return (events,)
