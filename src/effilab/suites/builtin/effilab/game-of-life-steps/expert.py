_TO_BITS = str.maketrans("#.", "10")
_FROM_BITS = str.maketrans("10", "#.")


def life_steps(grid: list[str], steps: int) -> list[str]:
    h = len(grid)
    w = len(grid[0]) if h else 0
    if not h or not w or not steps:
        return list(grid)
    # Cell (r, c) is bit r*W + c of one big integer, W = w + 1: the extra always-dead column
    # keeps horizontal shifts from wrapping into the neighbouring row.
    W = w + 1
    text = "".join(row + "." for row in grid)
    board = int(text[::-1].translate(_TO_BITS), 2)
    valid = int(("0" + "1" * w) * h, 2)  # every real cell; the guard bit of each row is 0
    for _ in range(steps):
        g = board
        a1 = g << 1
        a2 = g >> 1
        a3 = g << W
        a4 = g >> W
        a5 = g << (W + 1)
        a6 = g >> (W + 1)
        a7 = g << (W - 1)
        a8 = g >> (W - 1)
        # bit-sliced sum of eight 1-bit numbers, modulo 8: (b2 b1 b0)
        x = a1 ^ a2
        s1 = x ^ a3
        c1 = (a1 & a2) | (a3 & x)
        x = a4 ^ a5
        s2 = x ^ a6
        c2 = (a4 & a5) | (a6 & x)
        s3 = a7 ^ a8
        c3 = a7 & a8
        x = s1 ^ s2
        b0 = x ^ s3
        c4 = (s1 & s2) | (s3 & x)
        x = c1 ^ c2
        u = x ^ c3
        d1 = (c1 & c2) | (c3 & x)
        b1 = u ^ c4
        d2 = u & c4
        b2 = d1 ^ d2
        # alive next: count is 3, or count is 2 and alive  <=>  b1 & ~b2 & (b0 | g)
        board = b1 & (b0 | g) & ~b2 & valid
    bits = bin(board)[2:].zfill(h * W)[::-1].translate(_FROM_BITS)
    return [bits[r * W : r * W + w] for r in range(h)]
