import re

KEYWORDS = {"def", "return", "if", "else", "while", "for", "in"}

TOKEN_SPECS = [
    ("SKIP", re.compile(r"[ \t\n]+|#[^\n]*")),
    ("NUMBER", re.compile(r"\d+(?:\.\d+)?")),
    ("NAME", re.compile(r"[A-Za-z_][A-Za-z0-9_]*")),
    ("STRING", re.compile(r'"[^"\n]*"')),
    ("OP", re.compile(r"==|!=|<=|>=|->|[-+*/%=<>()\[\]{},:;.]")),
]


def tokenize(source: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    n = len(source)
    while pos < n:
        for kind, pattern in TOKEN_SPECS:
            match = pattern.match(source, pos)
            if match:
                text = match.group()
                pos = match.end()
                if kind == "SKIP":
                    break
                if kind == "NAME" and text in KEYWORDS:
                    kind = "KEYWORD"
                tokens.append((kind, text))
                break
        else:
            raise ValueError(f"unexpected character {source[pos]!r} at {pos}")
    return tokens
