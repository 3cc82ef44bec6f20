# bytes -> printable-ASCII text: every byte outside 0x20..0x7e becomes "."
_PRINTABLE = bytes(b if 0x20 <= b <= 0x7E else 0x2E for b in range(256))


def hexdump(data: bytes) -> str:
    n = len(data)
    full = n - n % 16
    text = data.translate(_PRINTABLE).decode("ascii")
    # One C call renders every byte as "xx" separated by spaces; each 16-byte row is then 47 characters.
    hexed = data[:full].hex(" ")
    lines = [
        "%08x  %s  %s  |%s|" % (off, hexed[p : p + 23], hexed[p + 24 : p + 47], text[off : off + 16])
        for off, p in zip(range(0, full, 16), range(0, 3 * full, 48))
    ]
    if full < n:
        slots = data[full:].hex(" ").ljust(47)
        lines.append("%08x  %s  %s  |%s|" % (full, slots[:23], slots[24:47], text[full:]))
    return "\n".join(lines)
