WORDS = [
    "How",
    "to",
    "Build",
    "a",
    "Fast",
    "API",
    "in",
    "Python",
    "3.12",
    "Top",
    "10",
    "Tips",
    "for",
    "Beginners",
    "Why",
    "Rust's",
    "Borrow",
    "Checker",
    "Matters",
    "Understanding",
    "Async/Await",
    "C++",
    "vs.",
    "Go",
    "Café",
    "Déjà",
    "vu",
    "naïve",
    "Bayes",
    "—",
    "Part",
    "II",
    "(Updated)",
    "FAQ:",
    "What's",
    "New?",
    "100%",
    "Guide",
    "Kubernetes",
    "&",
    "Docker",
    "on",
    "Linux",
    "Machine",
    "Learning",
    "the",
    "Hard",
    "Way",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            ["Hello, World!", "hello world", "  Café au lait  ", "???", "Hello World"],
            ["", "---", "日本語", "untitled", "Untitled!!"],
            ["a-2", "a", "A", "a"],
            ["X" * 3 + "_y_" + "Z", "\tTabs\nand\rnewlines\u00a0nbsp", "K\u212a"],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    titles = []
    recent = []
    for _ in range(size):
        if recent and rng.random() < 0.1:
            title = rng.choice(recent)  # reposts and near-duplicates
            if rng.random() < 0.5:
                title = title.upper() + rng.choice(["!", " ", "?!", ""])
        else:
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 24)))
            recent.append(title)
            if len(recent) > 50:
                recent.pop(0)
        titles.append(title)
    return (titles,)
