"""The trusted first code of a sandboxed program run, when one is needed (never for a native run in bwrap).

Started as ``python -s -P -B _progboot.py CONFIG_JSON`` (inside bubblewrap, or directly in the process
tier). It

1. waits for one byte on ``block_fd`` when given (the process tier: the parent first puts this process in
   the box's cgroups and sets its resource limits, so nothing runs unaccounted);
2. confines itself: dropped capabilities (when root), Landlock (read, write and execute allow-lists),
   seccomp (execve denied, or allowed only to start ``argv``);
3. then either ``execve``s ``argv`` (a compiled program, or a compiler that may execute only its own tools,
   as Landlock's execute list says) or runs the Python program at ``source`` as ``__main__``.

Only the standard library and the sibling module ``confine`` (found through ``sandbox_dir``) are imported.
A failure to confine is reported on stderr with exit status 121 before anything untrusted runs.
"""

from __future__ import annotations

import json
import os
import sys

CONFINE_FAILED = 121


def _confine(config: dict) -> None:  # type: ignore[type-arg]
    sys.path.insert(0, config["sandbox_dir"])
    import confine  # type: ignore[import-not-found]  # noqa: PLC0415 -- found through sandbox_dir only

    sys.path.pop(0)
    if config.get("drop_caps"):
        confine.drop_capabilities()
    landlock = config.get("landlock")
    if landlock is not None:
        confine.install_landlock(
            read_paths=landlock["read"], write_paths=landlock["write"], exec_paths=landlock.get("exec")
        )
    if config.get("seccomp"):
        confine.install_seccomp(own_pid=os.getpid(), allow_exec=config["mode"] == "exec")


def main(argv: list[str]) -> int:
    config = json.loads(argv[1])
    block_fd = config.get("block_fd")
    if block_fd is not None:
        os.read(block_fd, 1)
        os.close(block_fd)
    try:
        _confine(config)
    except Exception as exc:
        sys.stderr.write(f"effilab: confining the program failed: {type(exc).__name__}: {exc}\n")
        return CONFINE_FAILED
    if config["mode"] == "exec":
        os.execve(config["argv"][0], config["argv"], config.get("env") or {})
    path = config["source"]
    with open(path, "rb") as handle:
        source = handle.read()
    sys.argv = [os.path.basename(path)]
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    # Compile before anything else so a syntax error reads like the interpreter's own (exit status 1).
    code = compile(source, path, "exec")
    del config, source, argv
    exec(code, namespace)  # the program's own code, confined above
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
