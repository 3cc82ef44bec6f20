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
