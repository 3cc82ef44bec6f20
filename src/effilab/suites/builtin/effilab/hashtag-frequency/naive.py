import string

TAG_CHARS = set(string.ascii_letters + string.digits + "_")


def count_hashtags(posts: list[str]) -> list[tuple[str, int]]:
    counts = {}
    for post in posts:
        i = 0
        while i < len(post):
            if post[i] == "#" and (i == 0 or post[i - 1] == " " or post[i - 1] == "\n"):
                j = i + 1
                tag = ""
                while j < len(post) and post[j] in TAG_CHARS:
                    tag += post[j]
                    j += 1
                if tag:
                    tag = tag.lower()
                    counts[tag] = counts.get(tag, 0) + 1
                i = j
            else:
                i += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
