import re

_TOKEN = re.compile(r"\d+|[-+*()]")


def evaluate_expression(expr: str) -> int:
    M = 1_000_000_007
    stack = []
    push = stack.append
    pop = stack.pop
    acc = 0  # sum of the finished terms of the current group
    term = 1  # product of the factors of the current term
    sign = 1
    for tok in _TOKEN.findall(expr):
        if tok == "*":
            continue
        if tok == "+":
            acc += sign * term
            term = 1
            sign = 1
        elif tok == "-":
            acc += sign * term
            term = 1
            sign = -1
        elif tok == "(":
            push((acc, term, sign))
            acc = 0
            term = 1
            sign = 1
        elif tok == ")":
            value = (acc + sign * term) % M
            acc, term, sign = pop()
            term = term * value % M
        else:
            term = term * int(tok) % M
    return (acc + sign * term) % M
