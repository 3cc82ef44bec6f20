def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = ["", "z", "abcd", "aaaa", "abba", "xabacabay", "Aa", "ab\x00\x01\x01\x00ba"]
        if case < len(corner):
            return (corner[case],)
    n = size if level > 0 else rng.randint(1, size)
    kind = case % 4
    if kind == 0:  # random text over a tiny alphabet: many short palindromes, many ties
        return ("".join(rng.choice("ab") for _ in range(n)),)
    if kind == 1:  # random lowercase text with a long palindrome planted somewhere
        core = "".join(rng.choice("abcdefghij") for _ in range(n // 6))
        pal = core + rng.choice("xyz") + core[::-1]
        left = rng.randint(0, n - len(pal))
        body = [rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n - len(pal))]
        return ("".join(body[:left]) + pal + "".join(body[left:]),)
    if kind == 2:  # long runs of one letter: quadratic for centre expansion
        out = []
        while len(out) < n:
            out.extend(rng.choice("ab") * rng.randint(1, max(1, n // 4)))
        return ("".join(out[:n]),)
    return ("".join(rng.choice("aé漢😀xyz") for _ in range(n)),)
