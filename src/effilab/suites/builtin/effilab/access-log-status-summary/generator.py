SIZES = [0, 17, 512, 1024, 2326, 4096, 8191, 15000, 48213, 150000, 1048576]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
STATUSES = [200] * 30 + [
    201,
    204,
    206,
    301,
    302,
    302,
    304,
    304,
    400,
    401,
    403,
    404,
    404,
    404,
    418,
    429,
    500,
    502,
    503,
]
METHODS = ["GET"] * 6 + ["POST", "PUT", "DELETE", "HEAD", "OPTIONS"]
PATHS = [
    "/",
    "/index.html",
    "/api/v1/items",
    "/api/v1/items/42?expand=true",
    "/static/app.js",
    "/login",
    "/search?q=a+b&page=2",
    "/img/logo.png",
    "/favicon.ico",
    "/health",
]
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "curl/8.4.0",
    "python-requests/2.31",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "-",
    "",
]
REFERERS = ["-", "https://example.com/", "https://search.example/?q=[x] 200 99", ""]


def _line(rng):
    ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
    user = rng.choice(["-", "-", "-", "alice", "bob_2"])
    when = (
        f"{rng.randint(1, 28):02d}/{rng.choice(MONTHS)}/{rng.randint(2019, 2024)}:"
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} {rng.choice(['+0000', '-0700', '+0530'])}"
    )
    request = f"{rng.choice(METHODS)} {rng.choice(PATHS)} {rng.choice(['HTTP/1.1', 'HTTP/2.0', 'HTTP/1.0'])}"
    status = rng.choice(STATUSES)
    if status in (204, 304) or rng.random() < 0.03:
        size = "-"
    elif rng.random() < 0.85:  # static files and canned error pages: a few recurring sizes
        size = str(SIZES[rng.randrange(len(SIZES))] + status)
    else:
        size = str(rng.randint(0, 10**6))
    return (
        f'{ip} - {user} [{when}] "{request}" {status} {size} "{rng.choice(REFERERS)}" "{rng.choice(AGENTS)}"'
    )


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            [],
            [
                '10.0.0.1 - - [10/Oct/2023:13:55:36 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8.0"',
                '10.0.0.2 - bob [10/Oct/2023:13:55:37 +0000] "POST /login HTTP/1.1" 302 - "https://x.io/" "Mozilla/5.0 (X11)"',
                '10.0.0.1 - - [10/Oct/2023:13:56:01 +0000] "GET /b HTTP/1.1" 200 100 "-" "curl/8.0"',
            ],
            ['1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.0" 304 - "" ""'],
            [
                '1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.0" 500 0 "ref 200 5" "a 404 7 b"',
                '1.2.3.4 - - [01/Jan/2020:00:00:00 +0000] "GET / HTTP/1.0" 100 7 "-" "-"',
            ],
        ]
        if case < len(corner):
            return (list(corner[case]),)
    return ([_line(rng) for _ in range(size)],)
