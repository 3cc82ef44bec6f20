from urllib.parse import quote_plus

NAMES = [
    "q",
    "page",
    "sort",
    "tag",
    "filter[color]",
    "utm_source",
    "utm_campaign",
    "id",
    "lang",
    "from",
    "to",
    "redirect",
    "search term",
    "ü",
    "a&b",
    "x=y",
]
TEXTS = [
    "shoes",
    "red",
    "42",
    "2024-01-01",
    "price desc",
    "café au lait",
    "日本",
    "a+b",
    "50%",
    "x&y=z",
    "https://example.com/path?a=1",
    "",
    "naïve",
    "🎉 party",
    "C++",
    "~tilde",
    "new\nline",
    "plain_value",
    "https://shop.example.com/checkout/step-2?cart=8812&coupon=SPRING%2024&ref=newsletter#summary",
    "best noise cancelling headphones under 200 euros for long flights",
    "Grüße aus München – Straße & Käse, 5 % Rabatt!",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            "",
            "q=caf%C3%A9+au+lait&tag=a&tag=b%2Bc&flag&=empty&&x=1=2",
            "&&&",
            "a=%41%4a%6b%6A&a=&a",
            "%E6%97%A5=%F0%9F%8E%89&%e6%97%a5=+",
            "k=v%26w%3Dz&name=%25%2B%20",
        ]
        if case < len(corner):
            return (corner[case],)
    pieces = []
    for _ in range(size):
        r = rng.random()
        name = rng.choice(NAMES) if rng.random() < 0.8 else f"p{rng.randint(0, size // 4)}"
        value = rng.choice(TEXTS) if rng.random() < 0.6 else str(rng.randint(0, 10**6))
        if r < 0.05:
            pieces.append(quote_plus(name))  # no "="
        elif r < 0.08:
            pieces.append("")  # empty piece
        else:
            qn = quote_plus(name, safe="[]") if rng.random() < 0.8 else quote_plus(name).lower()
            pieces.append(qn + "=" + quote_plus(value, safe=":/"))
    return ("&".join(pieces),)
