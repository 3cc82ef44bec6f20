import re

KEYWORDS = ["def", "return", "if", "else", "while", "for", "in"]

TOKEN_SPECS = [
    ("SKIP", r"[ \t\n]+"),
    ("COMMENT", r"#[^\n]*"),
    ("NUMBER", r"\d+(\.\d+)?"),
    ("NAME", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("STRING", r'"[^"\n]*"'),
    ("OP", r"==|!=|<=|>=|->|[-+*/%=<>()\[\]{},:;.]"),
]


def tokenize(source: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    while pos < len(source):
        for kind, pattern in TOKEN_SPECS:
            match = re.match(pattern, source[pos:])
            if match:
                text = match.group(0)
                if kind == "NAME" and text in KEYWORDS:
                    kind = "KEYWORD"
                if kind != "SKIP" and kind != "COMMENT":
                    tokens.append((kind, text))
                pos += len(text)
                break
        else:
            raise ValueError(f"unexpected character {source[pos]!r} at {pos}")
    return tokens
