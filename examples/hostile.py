"""A candidate that misbehaves on purpose, to show what the sandbox contains.

`steal` tries to read secrets, phone home and leave a file behind; `spin` never returns.
"""

import os
import socket


def steal(path: str) -> dict[str, object]:
    report: dict[str, object] = {"env_keys": sorted(os.environ)}
    try:
        with open(path) as handle:
            report["read"] = handle.read(80)
    except OSError as exc:
        report["read"] = f"denied: {exc.strerror}"
    try:
        socket.create_connection(("127.0.0.1", 22), timeout=1)
        report["network"] = "connected"
    except OSError as exc:
        report["network"] = f"denied: {exc.strerror}"
    try:
        with open("/var/tmp/effilab-was-here", "w") as handle:
            handle.write("x")
        report["write"] = "wrote /var/tmp/effilab-was-here"
    except OSError as exc:
        report["write"] = f"denied: {exc.strerror}"
    return report


def spin() -> None:
    while True:
        pass
