KEYWORDS = ["def", "return", "if", "else", "while", "for", "in"]
NAMES = ["x", "y1", "total", "_tmp", "count", "items", "value_2", "Result", "define", "iff", "inx", "n"]
OPS = [
    "==",
    "!=",
    "<=",
    ">=",
    "->",
    "+",
    "-",
    "*",
    "/",
    "%",
    "=",
    "<",
    ">",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ";",
    ".",
]


def _token(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice(NAMES)
    if r < 0.4:
        return rng.choice(KEYWORDS)
    if r < 0.55:
        return (
            str(rng.randint(0, 9999)) if rng.random() < 0.7 else f"{rng.randint(0, 99)}.{rng.randint(0, 999)}"
        )
    if r < 0.62:
        return '"' + "".join(rng.choice("ab c#=+'x1") for _ in range(rng.randint(0, 8))) + '"'
    return rng.choice(OPS)


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            "",
            'if x1 >= 3.5: y = "hi" # done',
            "   \n\t# only a comment",
            "7. .5 a->b!=c==d<=e>=f<g>h",
            'def iff(in_, x): return "#not a comment" # real\nwhile 00012.300 % 2 {x[0]}',
            "_=__init__;for i in range(10):pass",
        ]
        if case < len(corner):
            return (corner[case],)
    pieces = []
    length = 0
    while length < size:
        tok = _token(rng)
        r = rng.random()
        if r < 0.6:
            sep = " "
        elif r < 0.75:
            sep = "\n" + "    " * rng.randint(0, 3)
        elif r < 0.78:
            sep = "  # " + rng.choice(["note", "todo: x = 1", '"quoted"', ""]) + "\n"
        else:
            sep = ""
        # avoid gluing tokens that would lex differently (e.g. NAME followed by NAME or NUMBER)
        if (
            not sep
            and pieces
            and (pieces[-1][-1:].isalnum() or pieces[-1][-1:] in '_."')
            and tok[0].isalnum()
        ):
            sep = " "
        pieces.append(tok + sep)
        length += len(tok) + len(sep)
    return ("".join(pieces),)
