"""Text helpers over lists of words, written naively (quadratic list scans)."""

import string
import unicodedata

_STRIP_PUNCTUATION = str.maketrans("", "", string.punctuation)


def dedupe_preserving_order(items: list[str]) -> list[str]:
    """Return the distinct items, NFC-normalized, in order of first occurrence.

    Canonically equivalent strings (e.g. a precomposed "é" and "e" + combining accent) count as one.
    """
    result = []
    for item in items:
        x = unicodedata.normalize("NFC", item)
        if x not in result:
            result.append(x)
    return result


def word_frequencies_top(words: list[str], k: int) -> list[tuple[str, int]]:
    """Return the `k` most frequent words as (word, count) pairs, most frequent first, ties by word.

    Words are case-folded and stripped of ASCII punctuation; words that end up empty are ignored.
    """
    cleaned = []
    for w in words:
        c = w.translate(_STRIP_PUNCTUATION).casefold()
        if c:
            cleaned.append(c)
    distinct = []
    for w in cleaned:
        if w not in distinct:
            distinct.append(w)
    counts = [(w, cleaned.count(w)) for w in distinct]
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    return counts[:k]
