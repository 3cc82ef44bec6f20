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
