def max_pair_xor(nums: list[int]) -> int:
    # Binary trie over 31-bit values: for each number, walk the trie preferring the opposite bit.
    if len(nums) < 2:
        return 0
    root: dict[int, dict] = {}
    best = 0
    for index, x in enumerate(nums):
        if index:
            node = root
            value = 0
            for bit in range(30, -1, -1):
                b = (x >> bit) & 1
                if 1 - b in node:
                    value |= 1 << bit
                    node = node[1 - b]
                else:
                    node = node[b]
            if value > best:
                best = value
        node = root
        for bit in range(30, -1, -1):
            node = node.setdefault((x >> bit) & 1, {})
    return best
