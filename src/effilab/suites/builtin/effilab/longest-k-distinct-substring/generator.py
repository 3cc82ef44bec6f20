import string


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [("", 2), ("a", 0), ("a", 1), ("aaaa", 1), ("abcabc", 3), ("abaccbbbcd", 2), ("AaBb", 2)]
        if case < len(corner):
            return corner[case]
        return ("".join(rng.choice("abc") for _ in range(size)), rng.randint(0, 3))
    # Text made of blocks, each drawn from 2-3 letters of a 16-letter alphabet: windows with
    # at most k distinct letters span several blocks (tens to hundreds of characters).
    alphabet = string.ascii_letters[:16]
    parts = []
    total = 0
    while total < size:
        letters = rng.sample(alphabet, rng.randint(2, 3))
        length = rng.randint(5, 40)
        parts.append("".join(rng.choice(letters) for _ in range(length)))
        total += length
    text = "".join(parts)[:size]
    return (text, rng.randint(4, 7))
