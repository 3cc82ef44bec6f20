WORDS = [
    "the",
    "new",
    "release",
    "is",
    "out",
    "today",
    "love",
    "this",
    "so",
    "much",
    "check",
    "link",
    "café",
    "naïve",
    "email",
    "me@x.com",
    "a#b",
    "##double",
    "C#",
    "price:",
    "$5",
    "(#paren)",
    "#",
    "🎉",
    "ok",
]
TAGS = [
    "python",
    "Python",
    "PYTHON",
    "python3",
    "ai",
    "AI",
    "data_science",
    "DataScience",
    "fun_times",
    "ootd",
    "2024",
    "tbt",
    "x",
    "café",
    "rust",
    "golang",
    "ml",
    "ML",
    "devops",
    "sunday_funday",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            ["Loving #Python and #python3!", "#python is fun #", "email me@x.com #Fun_times"],
            ["#a", "#A #a\n#a", "a#b ##b #_ #9"],
            ["no tags here", "", "#"],
            ["#café #naïve #caf", "tab\t#no", "#end"],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    n_tags = len(TAGS) + max(0, size // 20)
    extra = [f"topic{i}" for i in range(n_tags - len(TAGS))]
    tags = TAGS + extra
    posts = []
    for _ in range(size):
        words = []
        for _ in range(rng.randint(3, 30)):
            if rng.random() < 0.15:
                tag = rng.choice(tags) if rng.random() < 0.7 else rng.choice(TAGS)
                words.append("#" + tag + rng.choice(["", "", "", "!", ",", ".", "'s"]))
            else:
                words.append(rng.choice(WORDS))
        sep = rng.choice([" ", " ", " ", "\n"])
        posts.append(sep.join(words))
    return (posts,)
