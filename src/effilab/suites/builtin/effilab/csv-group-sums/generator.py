ATTRS = [
    "color",
    "size",
    "material",
    "brand",
    "channel",
    "rep",
    "warehouse",
    "carrier",
    "status",
    "currency",
    "promo",
    "segment",
    "country",
    "city",
    "postcode",
    "created",
    "updated",
    "note",
    "batch",
    "flag",
    "tier",
    "store",
    "shelf",
    "supplier",
    "origin",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "ean",
    "season",
    "collection",
    "gender",
    "age_group",
    "pattern",
    "fit",
]
VALUES = [
    "red",
    "blue",
    "XL",
    "cotton",
    "Acme",
    "web",
    "store",
    "rep17",
    "WH-3",
    "DHL",
    "shipped",
    "EUR",
    "SUMMER24",
    "retail",
    "NO",
    "Oslo",
    "0150",
    "2024-03-01",
    "2024-03-09T12:00:00",
    "",
    "batch-0091",
    "Y",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            ("a,b", "a", ["b"]),
            ("a,b\n", "a", ["b"]),
            ("city,qty,price\nOslo,2,10\nRome,1,-5\nOslo,3,7\n", "city", ["price", "qty"]),
            ("k,v\nx,-0\nx,5\n,3\n,-3", "k", ["v"]),
            ("v,k,w\n1,a,2\n3,b,4\n5,a,6", "k", ["w", "v", "w"]),
            ("id\n7\n7\n8", "id", ["id"]),
        ]
        if case < len(corner):
            return corner[case]
    # A wide export: identifying and numeric columns first, then many descriptive ones.
    header = [
        "order_id",
        "region",
        "sku",
        "units",
        "unit_price_cents",
        "revenue_cents",
        "cost_cents",
        "tax_cents",
        "returns",
    ] + [f"attr_{name}" for name in ATTRS]
    groups = [f"{rng.choice(['north', 'south', 'east', 'west'])}-{i}" for i in range(max(1, size // 200))]
    lines = [",".join(header)]
    for i in range(size):
        units = rng.randint(-5, 500)
        price = rng.randint(1, 99_999)
        fields = [
            str(100000 + i),
            rng.choice(groups),
            f"SKU{rng.randint(0, 99999):05d}",
            str(units),
            str(price),
            str(units * price),
            str(rng.randint(-(10**6), 10**8)),
            str(rng.randint(0, 10**6)),
            str(rng.randint(0, 20)),
        ]
        fields.extend(rng.choice(VALUES) for _ in ATTRS)
        lines.append(",".join(fields))
    text = "\n".join(lines) + ("\n" if rng.random() < 0.5 else "")
    columns = ["units", "revenue_cents", "cost_cents", "tax_cents", "returns"]
    rng.shuffle(columns)
    return (text, "region", columns)
