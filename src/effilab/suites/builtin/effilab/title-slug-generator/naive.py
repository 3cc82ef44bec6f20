import string


def slugify(title: str) -> str:
    slug = ""
    for ch in title:
        if ch in string.ascii_letters or ch in string.digits:
            slug += ch.lower()
        elif not slug.endswith("-"):
            slug += "-"
    slug = slug.strip("-")
    if slug == "":
        slug = "untitled"
    return slug


def make_slugs(titles: list[str]) -> list[str]:
    seen = {}
    result = []
    for title in titles:
        base = slugify(title)
        if base in seen:
            seen[base] += 1
            result.append(f"{base}-{seen[base]}")
        else:
            seen[base] = 1
            result.append(base)
    return result
