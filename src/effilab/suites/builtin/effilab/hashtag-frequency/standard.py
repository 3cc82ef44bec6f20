import re

HASHTAG = re.compile(r"(?:^|(?<=[ \n]))#([A-Za-z0-9_]+)")


def count_hashtags(posts: list[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for post in posts:
        for tag in HASHTAG.findall(post):
            tag = tag.lower()
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
