MOD = 1_000_000_007


def tokenize(expr: str) -> list[str]:
    tokens = []
    number = ""
    for ch in expr:
        if ch.isdigit():
            number += ch
        else:
            if number:
                tokens.append(number)
                number = ""
            if ch in "+-*()":
                tokens.append(ch)
    if number:
        tokens.append(number)
    return tokens


def parse_expr(tokens: list[str]) -> int:
    value = parse_term(tokens)
    while tokens and tokens[0] in ("+", "-"):
        op = tokens.pop(0)
        rhs = parse_term(tokens)
        if op == "+":
            value = (value + rhs) % MOD
        else:
            value = (value - rhs) % MOD
    return value


def parse_term(tokens: list[str]) -> int:
    value = parse_factor(tokens)
    while tokens and tokens[0] == "*":
        tokens.pop(0)
        value = (value * parse_factor(tokens)) % MOD
    return value


def parse_factor(tokens: list[str]) -> int:
    tok = tokens.pop(0)
    if tok == "(":
        value = parse_expr(tokens)
        tokens.pop(0)  # the matching ")"
        return value
    return int(tok) % MOD


def evaluate_expression(expr: str) -> int:
    tokens = tokenize(expr)
    return parse_expr(tokens)
