def format_money(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def inventory_report(items: list[tuple[str, str, int, int]]) -> str:
    report = ""
    categories = sorted(set(item[1] for item in items))
    total_quantity = 0
    total_value = 0
    for category in categories:
        report += f"== {category} ==\n"
        category_items = [item for item in items if item[1] == category]
        category_items.sort(key=lambda item: item[0])
        subtotal_quantity = 0
        subtotal_value = 0
        for sku, _, quantity, price in category_items:
            value = quantity * price
            report += f"{sku:<12}{quantity:>8}{format_money(value):>14}\n"
            subtotal_quantity += quantity
            subtotal_value += value
        report += f"{'subtotal':<12}{subtotal_quantity:>8}{format_money(subtotal_value):>14}\n"
        total_quantity += subtotal_quantity
        total_value += subtotal_value
    report += f"{'TOTAL':<12}{total_quantity:>8}{format_money(total_value):>14}"
    return report
