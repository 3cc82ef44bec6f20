def count_anagram_pairs(words: list[str]) -> int:
    groups: dict[str, int] = {}
    count = 0
    for w in words:
        key = "".join(sorted(w))
        seen = groups.get(key, 0)
        count += seen  # the new word pairs with every earlier anagram
        groups[key] = seen + 1
    return count
