from itertools import chain, repeat
from operator import itemgetter


def parse_query(query: str) -> dict[str, list[str]]:
    pieces = list(filter(None, query.split("&")))
    if not pieces:
        return {}
    pairs = list(map(str.partition, pieces, repeat("=")))
    n = len(pairs)
    # Decode all names and values in one batch of C-level passes. They are joined with "%fe": byte 0xFE
    # never occurs in UTF-8, so it cannot clash with a real escape and marks the boundaries exactly.
    # %XX escapes become \xXX escapes for the unicode_escape codec (after doubling literal backslashes),
    # which yields one code point per byte; latin-1 turns that into the raw bytes.
    text = "%fe".join(chain(map(itemgetter(0), pairs), map(itemgetter(2), pairs)))
    text = text.replace("+", " ")
    if "%" in text:
        if "\\" in text:
            text = text.replace("\\", "\\\\")
        raw = text.replace("%", "\\x").encode("ascii").decode("unicode_escape").encode("latin-1")
        parts = list(map(bytes.decode, raw.split(b"\xfe")))
    else:
        parts = text.split("%fe")
    result: dict[str, list[str]] = {}
    get = result.get
    for name, value in zip(parts[:n], parts[n:]):
        bucket = get(name)
        if bucket is None:
            result[name] = [value]
        else:
            bucket.append(value)
    return result
