FIELDS = [
    "name",
    "first_name",
    "last_name",
    "email",
    "amount",
    "due_date",
    "invoice_id",
    "company",
    "city",
    "plan",
    "seats",
    "discount",
    "rep",
    "phone",
    "country",
    "_ref",
    "x1",
]
TEXT = [
    "Dear",
    "customer,",
    "your",
    "invoice",
    "is",
    "due",
    "on",
    "{",
    "}",
    "%",
    "%s",
    "100%",
    "{x}",
    "{{",
    "}}",
    "{{ not valid }}",
    "{{1abc}}",
    "thanks!",
    "\n",
    "Regards,",
    "team",
    "—",
    "café",
    "{{{",
    "}}}",
]


def _value(rng):
    r = rng.random()
    if r < 0.1:
        return ""
    if r < 0.15:
        return "{{name}}"
    if r < 0.2:
        return "50%"
    return "".join(rng.choice("abcdefghijk LMNOP0123456789.-@") for _ in range(rng.randint(1, 15)))


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ("static", []),
            ("static", [{}, {"a": "b"}]),
            (
                "Hi {{ name }}, you owe {{amount}} {x}.",
                [{"name": "Ann", "amount": "5"}, {"name": "{{amount}}"}],
            ),
            ("{{{a}}}{{a}}{{ a}}{{a  }}{{ a b }}{{_}}%%{{a1}}", [{"a": "%d", "_": "u", "a1": "}"}, {}]),
            ("", [{"x": "y"}]),
            ("{{x}}", [{"x": ""}, {"y": "1"}, {"x": "{{x}}"}]),
        ]
        if case < len(corner):
            template, rows = corner[case]
            return (template, [dict(r) for r in rows])
    pieces = []
    for _ in range(rng.randint(40, 60)):
        if rng.random() < 0.65:
            field = rng.choice(FIELDS)
            pad_l = " " * rng.choice([0, 0, 1, 2])
            pad_r = " " * rng.choice([0, 0, 1, 2])
            pieces.append("{{" + pad_l + field + pad_r + "}}")
        else:
            pieces.append(" ".join(rng.choice(TEXT) for _ in range(rng.randint(1, 6))))
    template = " ".join(pieces)
    rows = []
    for _ in range(size):
        row = {field: _value(rng) for field in FIELDS if rng.random() < 0.85}
        rows.append(row)
    return (template, rows)
