def count_anagram_pairs(words: list[str]) -> int:
    keys = [sorted(w) for w in words]
    count = 0
    n = len(words)
    for i in range(n):
        for j in range(i + 1, n):
            if keys[i] == keys[j]:
                count += 1
    return count
