MOD = 1_000_000_007


def evaluate_expression(expr: str) -> int:
    s = expr
    n = len(s)
    pos = 0

    def skip() -> None:
        nonlocal pos
        while pos < n and s[pos] == " ":
            pos += 1

    def parse_expr() -> int:
        nonlocal pos
        value = parse_term()
        skip()
        while pos < n and s[pos] in "+-":
            op = s[pos]
            pos += 1
            rhs = parse_term()
            value = (value + rhs) % MOD if op == "+" else (value - rhs) % MOD
            skip()
        return value

    def parse_term() -> int:
        nonlocal pos
        value = parse_factor()
        skip()
        while pos < n and s[pos] == "*":
            pos += 1
            value = value * parse_factor() % MOD
            skip()
        return value

    def parse_factor() -> int:
        nonlocal pos
        skip()
        if s[pos] == "(":
            pos += 1
            value = parse_expr()
            skip()
            pos += 1  # ')'
            return value
        start = pos
        while pos < n and s[pos].isdigit():
            pos += 1
        return int(s[start:pos]) % MOD

    return parse_expr()
