"""Python, run from source by effilab's own interpreter (the one the sandbox already allow-lists).

The program runs as ``__main__`` under a trusted shim that first installs the seccomp filter with
``execve`` denied, so a Python program cannot start any other program at all.
"""

from effilab.programs.languages.base import Language, register

PYTHON = register(
    Language(
        name="python",
        aliases=("py", "python3", "pypy3", "py3"),
        suffixes=(".py",),
        source_name="main.py",
        null_source=b"pass\n",
    )
)
