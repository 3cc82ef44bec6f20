from collections import Counter


def count_anagram_pairs(words: list[str]) -> int:
    join = "".join
    groups = Counter([join(sorted(w)) for w in words])
    return sum([c * (c - 1) for c in groups.values()]) // 2
