def hexdump(data: bytes) -> str:
    result = ""
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        line = f"{offset:08x}  "
        for i in range(16):
            if i < len(chunk):
                line += f"{chunk[i]:02x}"
            else:
                line += "  "
            if i == 7:
                line += "  "
            elif i < 15:
                line += " "
        line += "  |"
        for byte in chunk:
            if 0x20 <= byte <= 0x7E:
                line += chr(byte)
            else:
                line += "."
        line += "|"
        if result:
            result += "\n"
        result += line
    return result
