WORDS = [
    "srv",
    "data",
    "logs",
    "cache",
    "tmp",
    "etc",
    "app",
    "v2",
    "run",
    "lib",
    "bin",
    "home",
    "var",
    "conf",
]


def generate(size: int, level: int, case: int, rng):
    if level == 0:
        corner = [
            "",
            "# nothing\n[empty]",
            "root = /srv\n[app]\nhome = ${:root}/app\nlogs = ${home}/logs",
            "a=1\na = 2\n  ; comment  \n\n[s]\nx = ${:a}${:a}\n[t]\ny=${s:x}-z\n[s]\nw = a=b ${x}",
            "[  spaced name  ]\n  key   =   value with  spaces  \nother=${key}!",
            "[a]\nlate = ${early}\nearly = 1\nearly = ${q}2\n[b]\n[a]\nq=3\n[c]\n",
        ]
        if case < len(corner):
            return (corner[case],)
    n_sections = max(1, size // 25)
    sections = [""] + [f"sec{i}_{rng.choice(WORDS)}" for i in range(n_sections)]
    keys = []  # (section, key, depth)
    lines = []
    current = ""
    for i in range(size):
        if rng.random() < 1 / 25:
            current = rng.choice(sections[1:])
            lines.append(f"[{current}]" if rng.random() < 0.8 else f"  [ {current} ]  ")
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "# comment line", "; another = comment", "   "]))
        if keys and rng.random() < 0.05:
            sec, key, depth = rng.choice(keys)
            if sec == current:  # reassign an existing key with a literal (keeps things acyclic)
                lines.append(f"{key} = /{rng.choice(WORDS)}")
                keys[keys.index((sec, key, depth))] = (sec, key, 0)
                continue
        key = f"{rng.choice(WORDS)}_{i}"
        depth = 0
        if keys and rng.random() < 0.95:
            pool = keys[-3:] if rng.random() < 0.95 else keys
            sec, ref, d = rng.choice(pool)
            if d >= 40:
                sec, ref, d = keys[0]
            ref_text = (
                ("${" + ref + "}")
                if sec == current and rng.random() < 0.7
                else ("${" + sec + ":" + ref + "}")
            )
            value = ref_text + "/" + rng.choice(WORDS)
            depth = d + 1
            if rng.random() < 0.1:
                sec0, ref0, d0 = keys[0]
                value = value + "-${" + sec0 + ":" + ref0 + "}"
        else:
            value = "/" + rng.choice(WORDS) + "=" + str(rng.randint(0, 99))
        keys.append((current, key, depth))
        lines.append(f"{key} = {value}" if rng.random() < 0.8 else f"  {key}={value}  ")
    return ("\n".join(lines),)
