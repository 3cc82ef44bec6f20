"""Reads files and lists directories it was told about; reports contents or the error."""

import os


def f(files, directories):
    report = {}
    for path in files:
        try:
            with open(path, "rb") as handle:
                report[path] = handle.read(4096).decode("utf-8", "replace")
        except BaseException as exc:
            report[path] = "DENIED %s" % type(exc).__name__
    for path in directories:
        try:
            report["ls " + path] = sorted(os.listdir(path))
        except BaseException as exc:
            report["ls " + path] = "DENIED %s" % type(exc).__name__
    return report
