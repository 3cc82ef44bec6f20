import re


def render_rows(template: str, rows: list[dict[str, str]]) -> list[str]:
    results = []
    for row in rows:
        rendered = re.sub(
            r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}",
            lambda match: row.get(match.group(1), ""),
            template,
        )
        results.append(rendered)
    return results
