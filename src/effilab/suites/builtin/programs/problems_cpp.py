"""The C++ problems of the shipped program suite: generators and slow/fast pairs (original, for effilab).

Each slow program is the kind of submission people actually write first (quadratic scans, unmemoised
recursion, iostream flushed per line, a map where an array does, a cache-hostile loop order); each fast
one is the usual human fix. Inputs: first line sizes, then data; outputs on stdout.
"""

from __future__ import annotations

import random


def _ints(rng: random.Random, n: int, lo: int, hi: int) -> str:
    return " ".join(str(rng.randint(lo, hi)) for _ in range(n))


def gen_pair_sum(size: int, rng: random.Random) -> str:
    k = rng.randint(0, 200)
    return f"{size} {k}\n{_ints(rng, size, 0, 200)}\n"


PAIR_SUM_SLOW = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 0;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    long long count = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (a[i] + a[j] == k) count++;
    printf("%lld\n", count);
}
"""

PAIR_SUM_FAST = r"""
#include <cstdio>
#include <unordered_map>
int main() {
    int n; long long k;
    if (scanf("%d %lld", &n, &k) != 2) return 0;
    std::unordered_map<long long, long long> seen;
    long long count = 0;
    for (int i = 0; i < n; i++) {
        long long x; scanf("%lld", &x);
        auto it = seen.find(k - x);
        if (it != seen.end()) count += it->second;
        seen[x]++;
    }
    printf("%lld\n", count);
}
"""


def gen_range_sum(size: int, rng: random.Random) -> str:
    lines = [f"{size} {size}", _ints(rng, size, -1000, 1000)]
    for _ in range(size):
        left = rng.randint(1, size)
        lines.append(f"{left} {rng.randint(left, size)}")
    return "\n".join(lines) + "\n"


RANGE_SUM_SLOW = r"""
#include <iostream>
#include <vector>
using namespace std;
int main() {
    int n, q;
    cin >> n >> q;
    vector<long long> a(n + 1);
    for (int i = 1; i <= n; i++) cin >> a[i];
    while (q--) {
        int l, r;
        cin >> l >> r;
        long long s = 0;
        for (int i = l; i <= r; i++) s += a[i];
        cout << s << endl;
    }
}
"""

RANGE_SUM_FAST = r"""
#include <cstdio>
#include <string>
#include <vector>
int main() {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2) return 0;
    std::vector<long long> pre(n + 1, 0);
    for (int i = 1; i <= n; i++) { long long x; scanf("%lld", &x); pre[i] = pre[i - 1] + x; }
    std::string out;
    char buf[32];
    while (q--) {
        int l, r; scanf("%d %d", &l, &r);
        int len = snprintf(buf, sizeof buf, "%lld\n", pre[r] - pre[l - 1]);
        out.append(buf, len);
    }
    fwrite(out.data(), 1, out.size(), stdout);
}
"""


def gen_count_primes(size: int, rng: random.Random) -> str:
    return f"{rng.randint(size // 2, size)}\n"


PRIMES_SLOW = r"""
#include <cstdio>
bool is_prime(int x) {
    if (x < 2) return false;
    for (int d = 2; d < x; d++)
        if (x % d == 0) return false;
    return true;
}
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    int count = 0;
    for (int x = 2; x <= n; x++) if (is_prime(x)) count++;
    printf("%d\n", count);
}
"""

PRIMES_FAST = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<bool> composite(n + 1, false);
    int count = 0;
    for (long long x = 2; x <= n; x++) {
        if (composite[x]) continue;
        count++;
        for (long long m = x * x; m <= n; m += x) composite[m] = true;
    }
    printf("%d\n", count);
}
"""


def gen_prefix_lines(size: int, rng: random.Random) -> str:
    return f"{size}\n" + "\n".join(str(rng.randint(-(10**6), 10**6)) for _ in range(size)) + "\n"


PREFIX_LINES_SLOW = r"""
#include <iostream>
using namespace std;
int main() {
    int n; cin >> n;
    long long s = 0;
    for (int i = 0; i < n; i++) {
        long long x; cin >> x;
        s += x;
        cout << s << endl;
    }
}
"""

PREFIX_LINES_FAST = r"""
#include <iostream>
using namespace std;
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n; cin >> n;
    long long s = 0;
    for (int i = 0; i < n; i++) {
        long long x; cin >> x;
        s += x;
        cout << s << '\n';
    }
}
"""


def gen_lis(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 1, 10**9)}\n"


LIS_SLOW = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    std::vector<int> best(n, 1);
    int answer = 0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (a[j] < a[i]) best[i] = std::max(best[i], best[j] + 1);
        answer = std::max(answer, best[i]);
    }
    printf("%d\n", answer);
}
"""

LIS_FAST = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> tails;
    for (int i = 0; i < n; i++) {
        long long x; scanf("%lld", &x);
        auto it = std::lower_bound(tails.begin(), tails.end(), x);
        if (it == tails.end()) tails.push_back(x); else *it = x;
    }
    printf("%zu\n", tails.size());
}
"""


def gen_stairs(size: int, rng: random.Random) -> str:
    return f"{size} 3\n1 2 {rng.randint(5, 7)}\n"


# The step set comes from the input, so the compiler cannot fold the recursion into a loop.
STAIRS_SLOW = r"""
#include <cstdio>
#include <vector>
std::vector<int> steps;
long long ways(int n) {
    if (n == 0) return 1;
    long long total = 0;
    for (int s : steps)
        if (s <= n) total += ways(n - s);
    return total % 1000000007LL;
}
int main() {
    int n, m; if (scanf("%d %d", &n, &m) != 2) return 0;
    steps.resize(m);
    for (auto &s : steps) scanf("%d", &s);
    printf("%lld\n", ways(n));
}
"""

STAIRS_FAST = r"""
#include <cstdio>
#include <vector>
int main() {
    int n, m; if (scanf("%d %d", &n, &m) != 2) return 0;
    std::vector<int> steps(m);
    for (auto &s : steps) scanf("%d", &s);
    std::vector<long long> ways(n + 1, 0);
    ways[0] = 1;
    for (int i = 1; i <= n; i++)
        for (int s : steps)
            if (s <= i) ways[i] = (ways[i] + ways[i - s]) % 1000000007LL;
    printf("%lld\n", ways[n]);
}
"""


def gen_window_distinct(size: int, rng: random.Random) -> str:
    k = max(1, size // 4)
    return f"{size} {k}\n{_ints(rng, size, 1, max(2, size // 3))}\n"


WINDOW_DISTINCT_SLOW = r"""
#include <cstdio>
#include <set>
#include <vector>
int main() {
    int n, k; if (scanf("%d %d", &n, &k) != 2) return 0;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    long long total = 0;
    for (int i = 0; i + k <= n; i++) {
        std::set<int> s(a.begin() + i, a.begin() + i + k);
        total += s.size();
    }
    printf("%lld\n", total);
}
"""

WINDOW_DISTINCT_FAST = r"""
#include <cstdio>
#include <vector>
int main() {
    int n, k; if (scanf("%d %d", &n, &k) != 2) return 0;
    std::vector<int> a(n);
    int top = 0;
    for (auto &x : a) { scanf("%d", &x); if (x > top) top = x; }
    std::vector<int> freq(top + 1, 0);
    long long total = 0; int distinct = 0;
    for (int i = 0; i < n; i++) {
        if (freq[a[i]]++ == 0) distinct++;
        if (i >= k && --freq[a[i - k]] == 0) distinct--;
        if (i >= k - 1) total += distinct;
    }
    printf("%lld\n", total);
}
"""


def gen_inversions(size: int, rng: random.Random) -> str:
    return f"{size}\n{_ints(rng, size, 1, 10**6)}\n"


INVERSIONS_SLOW = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    long long inv = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (a[i] > a[j]) inv++;
    printf("%lld\n", inv);
}
"""

INVERSIONS_FAST = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    std::vector<int> sorted_a(a);
    std::sort(sorted_a.begin(), sorted_a.end());
    sorted_a.erase(std::unique(sorted_a.begin(), sorted_a.end()), sorted_a.end());
    int m = sorted_a.size();
    std::vector<int> tree(m + 1, 0);
    long long inv = 0;
    for (int i = n - 1; i >= 0; i--) {
        int r = std::lower_bound(sorted_a.begin(), sorted_a.end(), a[i]) - sorted_a.begin();
        for (int j = r; j > 0; j -= j & -j) inv += tree[j];
        for (int j = r + 1; j <= m; j += j & -j) tree[j]++;
    }
    printf("%lld\n", inv);
}
"""


def gen_nearest_smaller(size: int, rng: random.Random) -> str:
    # Mostly increasing: a naive backwards scan walks far, as on real judge data.
    values = [i * 3 + rng.randint(0, 5) for i in range(size)]
    return f"{size}\n{' '.join(map(str, values))}\n"


NEAREST_SMALLER_SLOW = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    long long checksum = 0;
    for (int i = 0; i < n; i++) {
        int found = -1;
        for (int j = 0; j < i; j++)
            if (a[j] < a[i]) found = j;
        checksum += found + 1;
    }
    printf("%lld\n", checksum);
}
"""

NEAREST_SMALLER_FAST = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> a(n);
    for (auto &x : a) scanf("%lld", &x);
    std::vector<int> stack;
    long long checksum = 0;
    for (int i = 0; i < n; i++) {
        while (!stack.empty() && a[stack.back()] >= a[i]) stack.pop_back();
        checksum += stack.empty() ? 0 : stack.back() + 1;
        stack.push_back(i);
    }
    printf("%lld\n", checksum);
}
"""


def gen_knapsack(size: int, rng: random.Random) -> str:
    n = max(2, size // 100)
    capacity = size
    items = "\n".join(f"{rng.randint(1, max(2, capacity // 4))} {rng.randint(1, 1000)}" for _ in range(n))
    return f"{n} {capacity}\n{items}\n"


KNAPSACK_SLOW = r"""
#include <cstdio>
#include <map>
#include <vector>
#include <algorithm>
int n;
std::vector<int> w, v;
std::map<std::pair<int, int>, long long> memo;
long long best(int i, int cap) {
    if (i == n) return 0;
    auto key = std::make_pair(i, cap);
    auto it = memo.find(key);
    if (it != memo.end()) return it->second;
    long long r = best(i + 1, cap);
    if (w[i] <= cap) r = std::max(r, best(i + 1, cap - w[i]) + v[i]);
    memo[key] = r;
    return r;
}
int main() {
    int cap; if (scanf("%d %d", &n, &cap) != 2) return 0;
    w.resize(n); v.resize(n);
    for (int i = 0; i < n; i++) scanf("%d %d", &w[i], &v[i]);
    printf("%lld\n", best(0, cap));
}
"""

KNAPSACK_FAST = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n, cap; if (scanf("%d %d", &n, &cap) != 2) return 0;
    std::vector<long long> dp(cap + 1, 0);
    for (int i = 0; i < n; i++) {
        int w, v; scanf("%d %d", &w, &v);
        for (int c = cap; c >= w; c--) dp[c] = std::max(dp[c], dp[c - w] + v);
    }
    printf("%lld\n", dp[cap]);
}
"""


def gen_matmul(size: int, rng: random.Random) -> str:
    rows = [_ints(rng, size, 0, 99) for _ in range(2 * size)]
    return f"{size}\n" + "\n".join(rows) + "\n"


MATMUL_SLOW = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<std::vector<long long>> a(n, std::vector<long long>(n)), b = a, c = a;
    for (auto &row : a) for (auto &x : row) scanf("%lld", &x);
    for (auto &row : b) for (auto &x : row) scanf("%lld", &x);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                c[i][j] = (c[i][j] + a[i][k] * b[k][j]) % 1000003;
    long long trace = 0;
    for (int i = 0; i < n; i++) trace = (trace + c[i][i] + c[i][n - 1 - i]) % 1000003;
    printf("%lld\n", trace);
}
"""

MATMUL_FAST = r"""
#include <cstdio>
#include <vector>
int main() {
    int n; if (scanf("%d", &n) != 1) return 0;
    std::vector<long long> a(n * n), b(n * n), c(n * n, 0);
    for (auto &x : a) scanf("%lld", &x);
    for (auto &x : b) scanf("%lld", &x);
    // i-k-j order walks b and c row by row; reduce once per entry (values stay < 2^63).
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            long long aik = a[i * n + k];
            for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    long long trace = 0;
    for (int i = 0; i < n; i++)
        trace = (trace + c[i * n + i] % 1000003 + c[i * n + n - 1 - i] % 1000003) % 1000003;
    printf("%lld\n", trace);
}
"""


def gen_membership(size: int, rng: random.Random) -> str:
    values = sorted(rng.sample(range(1, 10 * size + 10), size))
    queries = [rng.randint(1, 10 * size + 10) for _ in range(size)]
    return f"{size} {size}\n{' '.join(map(str, values))}\n{' '.join(map(str, queries))}\n"


MEMBERSHIP_SLOW = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n, q; if (scanf("%d %d", &n, &q) != 2) return 0;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    int hits = 0;
    while (q--) {
        int x; scanf("%d", &x);
        if (std::find(a.begin(), a.end(), x) != a.end()) hits++;
    }
    printf("%d\n", hits);
}
"""

MEMBERSHIP_FAST = r"""
#include <cstdio>
#include <vector>
#include <algorithm>
int main() {
    int n, q; if (scanf("%d %d", &n, &q) != 2) return 0;
    std::vector<int> a(n);
    for (auto &x : a) scanf("%d", &x);
    int hits = 0;
    while (q--) {
        int x; scanf("%d", &x);
        if (std::binary_search(a.begin(), a.end(), x)) hits++;
    }
    printf("%d\n", hits);
}
"""

# (problem id, generator, sizes per level 0..3, slow, fast)
CPP_PROBLEMS = [
    ("c01-pair-sum-count", gen_pair_sum, (6, 200, 4000, 16000), PAIR_SUM_SLOW, PAIR_SUM_FAST),
    ("c02-range-sum-queries", gen_range_sum, (5, 100, 2000, 6000), RANGE_SUM_SLOW, RANGE_SUM_FAST),
    ("c03-count-primes", gen_count_primes, (20, 1000, 8000, 25000), PRIMES_SLOW, PRIMES_FAST),
    ("c04-prefix-sum-lines", gen_prefix_lines, (5, 1000, 10000, 40000), PREFIX_LINES_SLOW, PREFIX_LINES_FAST),
    ("c05-longest-increasing", gen_lis, (8, 300, 3000, 12000), LIS_SLOW, LIS_FAST),
    ("c06-stairs-ways", gen_stairs, (5, 15, 26, 32), STAIRS_SLOW, STAIRS_FAST),
    (
        "c07-window-distinct",
        gen_window_distinct,
        (8, 200, 2000, 5000),
        WINDOW_DISTINCT_SLOW,
        WINDOW_DISTINCT_FAST,
    ),
    ("c08-count-inversions", gen_inversions, (8, 300, 5000, 20000), INVERSIONS_SLOW, INVERSIONS_FAST),
    (
        "c09-nearest-smaller",
        gen_nearest_smaller,
        (8, 300, 5000, 20000),
        NEAREST_SMALLER_SLOW,
        NEAREST_SMALLER_FAST,
    ),
    ("c10-knapsack", gen_knapsack, (300, 1500, 4000, 8000), KNAPSACK_SLOW, KNAPSACK_FAST),
    ("c11-matrix-product", gen_matmul, (3, 30, 120, 250), MATMUL_SLOW, MATMUL_FAST),
    ("c12-sorted-membership", gen_membership, (6, 300, 5000, 15000), MEMBERSHIP_SLOW, MEMBERSHIP_FAST),
]
