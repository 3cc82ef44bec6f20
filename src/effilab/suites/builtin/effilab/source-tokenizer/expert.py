import re

# One alternation; whitespace and comments are consumed (possessively, Python 3.11+) by the leading
# (?:...)*+, so every match is a token (except a final one that only ate trailing blanks).
_MASTER = re.compile(
    r"(?:[ \t\n]+|#[^\n]*+)*+"
    r"(?:(?P<NUMBER>\d+(?:\.\d+)?)"
    r"|(?P<NAME>[A-Za-z_][A-Za-z0-9_]*)"
    r'|(?P<STRING>"[^"\n]*")'
    r"|(?P<OP>==|!=|<=|>=|->|[-+*/%=<>()\[\]{},:;.])"
    r"|\Z)"  # trailing whitespace/comment: a final match with no token group
)
_KEYWORDS = frozenset(("def", "return", "if", "else", "while", "for", "in"))


def tokenize(source: str) -> list[tuple[str, str]]:
    out = []
    append = out.append
    keywords = _KEYWORDS
    for m in _MASTER.finditer(source):
        kind = m.lastgroup
        if kind is None:
            break
        text = m[kind]
        if kind == "NAME" and text in keywords:
            kind = "KEYWORD"
        append((kind, text))
    return out
