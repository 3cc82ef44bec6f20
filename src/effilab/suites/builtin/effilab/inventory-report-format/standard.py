def _money(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def inventory_report(items: list[tuple[str, str, int, int]]) -> str:
    by_category: dict[str, list[tuple[str, str, int, int]]] = {}
    for item in items:
        by_category.setdefault(item[1], []).append(item)
    lines = []
    total_quantity = total_value = 0
    for category in sorted(by_category):
        lines.append(f"== {category} ==")
        sub_quantity = sub_value = 0
        for sku, _, quantity, price in sorted(by_category[category], key=lambda item: item[0]):
            value = quantity * price
            lines.append(f"{sku:<12}{quantity:>8}{_money(value):>14}")
            sub_quantity += quantity
            sub_value += value
        lines.append(f"{'subtotal':<12}{sub_quantity:>8}{_money(sub_value):>14}")
        total_quantity += sub_quantity
        total_value += sub_value
    lines.append(f"{'TOTAL':<12}{total_quantity:>8}{_money(total_value):>14}")
    return "\n".join(lines)
