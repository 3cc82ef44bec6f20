def hexdump(data: bytes) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        slots = ["%02x" % b for b in chunk] + ["  "] * (16 - len(chunk))
        text = "".join(chr(b) if 0x20 <= b <= 0x7E else "." for b in chunk)
        lines.append("%08x  %s  %s  |%s|" % (offset, " ".join(slots[:8]), " ".join(slots[8:]), text))
    return "\n".join(lines)
