import re
from collections import Counter

# A "#" whose preceding character (if any) is a space or newline; posts are joined with "\n". The pattern
# starts with the literal "#" (the lookbehind comes after it), so the regex engine can skip ahead quickly.
_HASHTAG = re.compile(r"#(?<![^ \n]#)([A-Za-z0-9_]+)")


def count_hashtags(posts: list[str]) -> list[tuple[str, int]]:
    counts = Counter(map(str.lower, _HASHTAG.findall("\n".join(posts))))
    ranked = sorted(counts.items())
    ranked.sort(key=lambda item: item[1], reverse=True)  # stable: ties stay in tag order
    return ranked
