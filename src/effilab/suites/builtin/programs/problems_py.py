"""The Python problems of the shipped program suite: generators and slow/fast pairs (original, for effilab).

Slow versions are typical first submissions (input() per line, list membership, quadratic scans,
unmemoised recursion, insert at the front, repeated sorting); fast ones the usual rewrite.
"""

from __future__ import annotations

import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_two_sum(size: int, rng: random.Random) -> str:
    return f"{size} {rng.randint(0, 100)}\n{_ints(rng, size, 0, 100)}\n"


TWO_SUM_SLOW = """
n, k = map(int, input().split())
a = list(map(int, input().split()))
count = 0
for i in range(n):
    for j in range(i + 1, n):
        if a[i] + a[j] == k:
            count += 1
print(count)
"""

TWO_SUM_FAST = """
import sys
from collections import Counter
data = sys.stdin.buffer.read().split()
n, k = int(data[0]), int(data[1])
seen = Counter()
count = 0
for x in map(int, data[2:2 + n]):
    count += seen[k - x]
    seen[x] += 1
print(count)
"""


def gen_range_queries(size: int, rng: random.Random) -> str:
    lines = [f"{size} {size}", _ints(rng, size, -100, 100)]
    for _ in range(size):
        left = rng.randint(1, size)
        lines.append(f"{left} {rng.randint(left, size)}")
    return "\n".join(lines) + "\n"


RANGE_QUERIES_SLOW = """
n, q = map(int, input().split())
a = list(map(int, input().split()))
for _ in range(q):
    l, r = map(int, input().split())
    print(sum(a[l - 1:r]))
"""

RANGE_QUERIES_FAST = """
import sys
from itertools import accumulate
data = sys.stdin.buffer.read().split()
n, q = int(data[0]), int(data[1])
pre = [0, *accumulate(map(int, data[2:2 + n]))]
out = []
pos = 2 + n
for _ in range(q):
    l, r = int(data[pos]), int(data[pos + 1])
    pos += 2
    out.append(pre[r] - pre[l - 1])
sys.stdout.write("\\n".join(map(str, out)) + "\\n")
"""


def gen_primes(size: int, rng: random.Random) -> str:
    return f"{rng.randint(size // 2, size)}\n"


PRIMES_SLOW = """
n = int(input())
count = 0
for x in range(2, n + 1):
    d = 2
    while d * d <= x:
        if x % d == 0:
            break
        d += 1
    else:
        count += 1
print(count)
"""

PRIMES_FAST = """
n = int(input())
sieve = bytearray([1]) * (n + 1)
sieve[0:2] = b"\\x00\\x00"
for x in range(2, int(n ** 0.5) + 1):
    if sieve[x]:
        sieve[x * x::x] = bytes(len(range(x * x, n + 1, x)))
print(sum(sieve))
"""


def gen_reverse(size: int, rng: random.Random) -> str:
    return f"{size}\n" + "\n".join(str(rng.randint(0, 10**9)) for _ in range(size)) + "\n"


REVERSE_SLOW = """
n = int(input())
items = []
for _ in range(n):
    items.insert(0, input())
print(" ".join(items))
"""

REVERSE_FAST = """
import sys
lines = sys.stdin.read().split()
print(" ".join(reversed(lines[1:])))
"""


def gen_line_sum(size: int, rng: random.Random) -> str:
    return f"{size}\n" + "\n".join(_ints(rng, 3, -1000, 1000) for _ in range(size)) + "\n"


LINE_SUM_SLOW = """
n = int(input())
best = None
for _ in range(n):
    a, b, c = map(int, input().split())
    s = a + b + c
    if best is None or s > best:
        best = s
    print(s)
print(best)
"""

LINE_SUM_FAST = """
import sys
data = sys.stdin.buffer.read().split()
n = int(data[0])
vals = list(map(int, data[1:1 + 3 * n]))
sums = [vals[i] + vals[i + 1] + vals[i + 2] for i in range(0, 3 * n, 3)]
sys.stdout.write("\\n".join(map(str, sums)) + "\\n" + str(max(sums)) + "\\n")
"""


def gen_membership(size: int, rng: random.Random) -> str:
    a = _ints(rng, size, 1, 4 * size)
    return f"{size} {size}\n{a}\n{_ints(rng, size, 1, 4 * size)}\n"


MEMBERSHIP_SLOW = """
n, q = map(int, input().split())
a = input().split()
hits = 0
for x in input().split():
    if x in a:
        hits += 1
print(hits)
"""

MEMBERSHIP_FAST = """
n, q = map(int, input().split())
a = set(input().split())
print(sum(1 for x in input().split() if x in a))
"""


def gen_lis(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 1, 10**6)}\n"


LIS_SLOW = """
n = int(input())
a = list(map(int, input().split()))
best = [1] * n
for i in range(n):
    for j in range(i):
        if a[j] < a[i] and best[j] + 1 > best[i]:
            best[i] = best[j] + 1
print(max(best) if best else 0)
"""

LIS_FAST = """
from bisect import bisect_left
n = int(input())
tails = []
for x in map(int, input().split()):
    i = bisect_left(tails, x)
    if i == len(tails):
        tails.append(x)
    else:
        tails[i] = x
print(len(tails))
"""


def gen_inversions(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 1, 10**6)}\n"


INVERSIONS_SLOW = """
n = int(input())
a = list(map(int, input().split()))
inv = 0
for i in range(n):
    for j in range(i + 1, n):
        if a[i] > a[j]:
            inv += 1
print(inv)
"""

INVERSIONS_FAST = """
n = int(input())
a = list(map(int, input().split()))
ranks = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
m = len(ranks)
tree = [0] * (m + 1)
inv = 0
for x in reversed(a):
    r = ranks[x] - 1
    while r > 0:
        inv += tree[r]
        r -= r & -r
    r = ranks[x]
    while r <= m:
        tree[r] += 1
        r += r & -r
print(inv)
"""


def gen_fib(size: int, rng: random.Random) -> str:
    return f"{size}\n"


FIB_SLOW = """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(int(input())))
"""

FIB_FAST = """
n = int(input())
a, b = 0, 1
for _ in range(n):
    a, b = b, a + b
print(a)
"""

_WORDS = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", "lam", "mu"]


def gen_words(size: int, rng: random.Random) -> str:
    vocab = [f"{rng.choice(_WORDS)}{rng.randint(0, max(1, size // 8))}" for _ in range(max(4, size // 3))]
    return f"{size}\n{' '.join(rng.choice(vocab) for _ in range(size))}\n"


WORDS_SLOW = """
n = int(input())
words = input().split()
best = None
for w in words:
    c = words.count(w)
    if best is None or c > best[0] or (c == best[0] and w < best[1]):
        best = (c, w)
print(best[1], best[0])
"""

WORDS_FAST = """
from collections import Counter
n = int(input())
counts = Counter(input().split())
c, w = min((-c, w) for w, c in counts.items())
print(w, -c)
"""


def gen_max_subarray(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, -100, 100)}\n"


MAX_SUBARRAY_SLOW = """
n = int(input())
a = list(map(int, input().split()))
best = a[0]
for i in range(n):
    s = 0
    for j in range(i, n):
        s += a[j]
        if s > best:
            best = s
print(best)
"""

MAX_SUBARRAY_FAST = """
n = int(input())
a = list(map(int, input().split()))
best = cur = a[0]
for x in a[1:]:
    cur = max(x, cur + x)
    best = max(best, cur)
print(best)
"""


def gen_anagrams(size: int, rng: random.Random) -> str:
    bases = ["".join(rng.choice("abcde") for _ in range(5)) for _ in range(max(2, size // 5))]
    words = ["".join(rng.sample(b, len(b))) for b in (rng.choice(bases) for _ in range(size))]
    return f"{size}\n{' '.join(words)}\n"


ANAGRAMS_SLOW = """
n = int(input())
words = input().split()
pairs = 0
for i in range(n):
    for j in range(i + 1, n):
        if sorted(words[i]) == sorted(words[j]):
            pairs += 1
print(pairs)
"""

ANAGRAMS_FAST = """
from collections import Counter
n = int(input())
groups = Counter("".join(sorted(w)) for w in input().split())
print(sum(c * (c - 1) // 2 for c in groups.values()))
"""


def gen_brackets(size: int, rng: random.Random) -> str:
    depth, out = 0, []
    for _ in range(size):
        if depth and rng.random() < 0.5:
            out.append(")")
            depth -= 1
        else:
            out.append("(")
            depth += 1
    out.append(")" * depth)
    if rng.random() < 0.5 and size > 2:
        out.append(")(")
    return "".join(out) + "\n"


BRACKETS_SLOW = """
s = input().strip()
while "()" in s:
    s = s.replace("()", "", 1)
print("YES" if not s else "NO")
"""

BRACKETS_FAST = """
depth = 0
ok = True
for ch in input().strip():
    depth += 1 if ch == "(" else -1
    if depth < 0:
        ok = False
        break
print("YES" if ok and depth == 0 else "NO")
"""


def gen_window_max(size: int, rng: random.Random) -> str:
    return f"{size} {max(1, size // 5)}\n{_ints(rng, size, 0, 10**6)}\n"


WINDOW_MAX_SLOW = """
n, k = map(int, input().split())
a = list(map(int, input().split()))
print(sum(max(a[i:i + k]) for i in range(n - k + 1)))
"""

WINDOW_MAX_FAST = """
from collections import deque
n, k = map(int, input().split())
a = list(map(int, input().split()))
dq = deque()
total = 0
for i, x in enumerate(a):
    while dq and a[dq[-1]] <= x:
        dq.pop()
    dq.append(i)
    if dq[0] <= i - k:
        dq.popleft()
    if i >= k - 1:
        total += a[dq[0]]
print(total)
"""


def gen_grid_paths(size: int, rng: random.Random) -> str:
    rows = [
        "".join("#" if rng.random() < 0.1 and (r, c) != (0, 0) else "." for c in range(size))
        for r in range(size)
    ]
    rows[-1] = rows[-1][:-1] + "."
    return f"{size} {size}\n" + "\n".join(rows) + "\n"


GRID_PATHS_SLOW = """
import sys
sys.setrecursionlimit(10000)
h, w = map(int, input().split())
g = [input() for _ in range(h)]
memo = {}
def paths(r, c):
    if r >= h or c >= w or g[r][c] == "#":
        return 0
    if (r, c) == (h - 1, w - 1):
        return 1
    if (r, c) not in memo:
        memo[(r, c)] = (paths(r + 1, c) + paths(r, c + 1)) % 1000000007
    return memo[(r, c)]
print(paths(0, 0))
"""

GRID_PATHS_FAST = """
h, w = map(int, input().split())
g = [input() for _ in range(h)]
row = [0] * (w + 1)
row[w - 1] = 1 if g[h - 1][w - 1] == "." else 0
for r in range(h - 1, -1, -1):
    line = g[r]
    for c in range(w - 1, -1, -1):
        if line[c] == "#":
            row[c] = 0
        elif not (r == h - 1 and c == w - 1):
            row[c] = (row[c] + row[c + 1]) % 1000000007
print(row[0])
"""


def gen_dedupe(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 0, max(2, size // 2))}\n"


DEDUPE_SLOW = """
n = int(input())
out = []
for x in input().split():
    if x not in out:
        out.append(x)
print(len(out))
print(" ".join(out))
"""

DEDUPE_FAST = """
n = int(input())
out = list(dict.fromkeys(input().split()))
print(len(out))
print(" ".join(out))
"""


def gen_kth(size: int, rng: random.Random) -> str:
    qs = " ".join(str(rng.randint(1, size)) for _ in range(size))
    return f"{size} {size}\n{_ints(rng, size, -(10**6), 10**6)}\n{qs}\n"


KTH_SLOW = """
n, q = map(int, input().split())
a = list(map(int, input().split()))
res = []
for k in map(int, input().split()):
    res.append(sorted(a)[k - 1])
print(sum(res))
"""

KTH_FAST = """
n, q = map(int, input().split())
s = sorted(map(int, input().split()))
print(sum(s[k - 1] for k in map(int, input().split())))
"""


def gen_running_median(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 0, 10**6)}\n"


RUNNING_MEDIAN_SLOW = """
n = int(input())
seen = []
total = 0
for x in map(int, input().split()):
    seen.append(x)
    seen.sort()
    total += seen[(len(seen) - 1) // 2]
print(total)
"""

RUNNING_MEDIAN_FAST = """
import heapq
n = int(input())
low, high = [], []
total = 0
for x in map(int, input().split()):
    if low and x > -low[0]:
        heapq.heappush(high, x)
    else:
        heapq.heappush(low, -x)
    if len(low) > len(high) + 1:
        heapq.heappush(high, -heapq.heappop(low))
    elif len(high) > len(low):
        heapq.heappush(low, -heapq.heappop(high))
    total += -low[0]
print(total)
"""


def gen_palindromes(size: int, rng: random.Random) -> str:
    return "".join(rng.choice("ab") for _ in range(size)) + "\n"


PALINDROMES_SLOW = """
s = input().strip()
n = len(s)
count = 0
for i in range(n):
    for j in range(i + 1, n + 1):
        t = s[i:j]
        if t == t[::-1]:
            count += 1
print(count)
"""

PALINDROMES_FAST = """
s = input().strip()
n = len(s)
count = 0
for center in range(2 * n - 1):
    lo, hi = center // 2, center // 2 + center % 2
    while lo >= 0 and hi < n and s[lo] == s[hi]:
        count += 1
        lo -= 1
        hi += 1
print(count)
"""


def gen_intervals(size: int, rng: random.Random) -> str:
    lines = []
    for _ in range(size):
        start = rng.randint(0, 10 * size)
        lines.append(f"{start} {start + rng.randint(1, 20)}")
    return f"{size}\n" + "\n".join(lines) + "\n"


INTERVALS_SLOW = """
n = int(input())
iv = [tuple(map(int, input().split())) for _ in range(n)]
overlaps = 0
for i in range(n):
    for j in range(i + 1, n):
        if iv[i][0] < iv[j][1] and iv[j][0] < iv[i][1]:
            overlaps += 1
print(overlaps)
"""

INTERVALS_FAST = """
import sys
from bisect import bisect_left
data = sys.stdin.buffer.read().split()
n = int(data[0])
iv = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
starts = [s for s, _ in iv]
overlaps = 0
for i, (s, e) in enumerate(iv):
    # intervals after i (sorted by start) that start before this one ends overlap it
    overlaps += bisect_left(starts, e, i + 1) - (i + 1)
print(overlaps)
"""

PY_PROBLEMS = [
    ("p01-two-sum-count", gen_two_sum, (6, 100, 600, 1500), TWO_SUM_SLOW, TWO_SUM_FAST),
    ("p02-range-queries", gen_range_queries, (5, 100, 1000, 3000), RANGE_QUERIES_SLOW, RANGE_QUERIES_FAST),
    ("p03-count-primes", gen_primes, (30, 1000, 20000, 60000), PRIMES_SLOW, PRIMES_FAST),
    ("p04-reverse-lines", gen_reverse, (5, 1000, 5000, 20000), REVERSE_SLOW, REVERSE_FAST),
    ("p05-line-sums", gen_line_sum, (5, 1000, 5000, 20000), LINE_SUM_SLOW, LINE_SUM_FAST),
    ("p06-list-membership", gen_membership, (6, 200, 1500, 4000), MEMBERSHIP_SLOW, MEMBERSHIP_FAST),
    ("p07-longest-increasing", gen_lis, (8, 100, 600, 1500), LIS_SLOW, LIS_FAST),
    ("p08-count-inversions", gen_inversions, (8, 100, 600, 1500), INVERSIONS_SLOW, INVERSIONS_FAST),
    ("p09-fibonacci", gen_fib, (5, 15, 23, 29), FIB_SLOW, FIB_FAST),
    ("p10-word-frequency", gen_words, (8, 200, 1500, 4000), WORDS_SLOW, WORDS_FAST),
    ("p11-max-subarray", gen_max_subarray, (6, 100, 600, 1500), MAX_SUBARRAY_SLOW, MAX_SUBARRAY_FAST),
    ("p12-anagram-pairs", gen_anagrams, (6, 60, 250, 500), ANAGRAMS_SLOW, ANAGRAMS_FAST),
    ("p13-balanced-brackets", gen_brackets, (6, 500, 10000, 60000), BRACKETS_SLOW, BRACKETS_FAST),
    ("p14-window-max", gen_window_max, (6, 200, 4000, 12000), WINDOW_MAX_SLOW, WINDOW_MAX_FAST),
    ("p15-grid-paths", gen_grid_paths, (3, 20, 150, 400), GRID_PATHS_SLOW, GRID_PATHS_FAST),
    ("p16-dedupe-order", gen_dedupe, (6, 200, 2000, 6000), DEDUPE_SLOW, DEDUPE_FAST),
    ("p17-kth-smallest", gen_kth, (5, 100, 1000, 2500), KTH_SLOW, KTH_FAST),
    (
        "p18-running-median",
        gen_running_median,
        (6, 200, 3000, 10000),
        RUNNING_MEDIAN_SLOW,
        RUNNING_MEDIAN_FAST,
    ),
    ("p19-palindromic-substrings", gen_palindromes, (5, 60, 300, 700), PALINDROMES_SLOW, PALINDROMES_FAST),
    ("p20-interval-overlaps", gen_intervals, (5, 100, 600, 1500), INTERVALS_SLOW, INTERVALS_FAST),
]
