def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            b"",
            b"A",
            b"Hello, World!\n\x00\xff\x7f",
            bytes(range(16)),
            bytes(range(256)),
            b"\x20\x7e\x1f\x80" * 5,
            bytes(range(8)),
            bytes(range(9)),
        ]
        if case < len(corner):
            return (corner[case],)
    # Mostly text-like bytes with binary runs; the length is not a multiple of 16 in most cases.
    n = size + rng.randint(0, 15)
    out = bytearray()
    while len(out) < n:
        if rng.random() < 0.7:
            out += bytes(rng.randint(0x20, 0x7E) for _ in range(rng.randint(1, 40)))
        else:
            out += bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 40)))
    return (bytes(out[:n]),)
