def _literal(rng):
    r = rng.random()
    if r < 0.03:
        return str(rng.randint(10**9, 10**15))
    if r < 0.1:
        return "0"
    return str(rng.randint(1, 999))


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            "7",
            "1 - 3",
            "2 * (3 + 4) - 5",
            "((((5))))",
            "1000000007 * 3 + 0",
            "10 - 2 - 3",
            "2*3-4*5+6",
        ]
        if case < len(corner):
            return (corner[case],)
    # A random walk over the nesting depth: open groups before a literal, close some after it.
    tokens = []
    depth = 0
    for i in range(size):
        while depth < 60 and rng.random() < 0.5:
            tokens.append("(")
            depth += 1
        tokens.append(_literal(rng))
        while depth and rng.random() < 0.5:
            tokens.append(")")
            depth -= 1
        if i < size - 1:
            tokens.append(rng.choice("++--*"))
    tokens.extend(")" * depth)
    pieces = []
    for tok in tokens:
        pieces.append(tok)
        if rng.random() < 0.3:
            pieces.append(" ")
    return ("".join(pieces).strip(),)
