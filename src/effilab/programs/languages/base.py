"""What a language plugin declares: how a source file is compiled (if at all) and how the program runs.

A plugin is one small module in this package that calls :func:`register` with a :class:`Language`; the
registry imports every module here, so adding a language is adding one file.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import subprocess

from effilab.errors import InvalidArgument

__all__ = ["Language", "register", "registered"]


@dataclasses.dataclass(frozen=True, slots=True)
class Language:
    """One programming language of whole programs (stdin → stdout)."""

    name: str
    """Canonical name (``cpp``, ``python``, ``c``)."""
    aliases: tuple[str, ...]
    """Other spellings found in datasets (PIE: ``cpp``, ``C++``; CodeNet: ``C++``, ``Python``)."""
    suffixes: tuple[str, ...]
    """File suffixes, for ``effilab optimize prog.cpp``."""
    source_name: str
    """Name of the source file inside the box."""
    compiler: str | None = None
    """Executable looked up on PATH (``g++``); None: interpreted, run from source."""
    flags: tuple[str, ...] = ()
    """Compiler flags; the plugin's docstring says why these."""
    null_source: bytes = b""
    """The empty program: its cost (box, runtime start) is taken off every run's before comparing."""
    link_flags: tuple[str, ...] = ()
    """Flags that must follow the source on the command line (libraries)."""
    tools: tuple[str, ...] = ()
    """The compiler's own programs (``-print-prog-name=``), the only ones it may execute in the sandbox."""

    @property
    def compiled(self) -> bool:
        return self.compiler is not None

    def compile_argv(self, *, source: str, output: str, flags: tuple[str, ...] | None = None) -> list[str]:
        if self.compiler is None:
            raise InvalidArgument(f"language {self.name!r} is not compiled")
        return [
            self.compiler_path(),
            *(self.flags if flags is None else flags),
            source,
            "-o",
            output,
            *self.link_flags,
        ]

    def compiler_path(self) -> str:
        if self.compiler is None:
            raise InvalidArgument(f"language {self.name!r} is not compiled")
        path = shutil.which(self.compiler)
        if path is None:
            raise InvalidArgument(f"language {self.name!r}: compiler {self.compiler!r} is not installed")
        return path

    def compiler_identity(self) -> str:
        """The compiler's version line: part of the compile cache key (a new compiler, a new binary)."""
        return _version(self.compiler_path())

    def tool_paths(self) -> tuple[str, ...]:
        """Real paths of the compiler and every tool it runs (execute allow-list of the compile sandbox)."""
        return _tool_paths(self.compiler_path(), self.tools)


@functools.cache
def _version(path: str) -> str:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False, timeout=60)
    return (out.stdout.splitlines() or [path])[0]


@functools.cache
def _tool_paths(compiler: str, tools: tuple[str, ...]) -> tuple[str, ...]:
    paths = {os.path.realpath(compiler)}
    for tool in tools:
        out = subprocess.run([compiler, f"-print-prog-name={tool}"], capture_output=True, text=True,
                             check=False, timeout=60)  # fmt: skip
        name = out.stdout.strip()
        found = name if os.path.isabs(name) else shutil.which(name)
        if found and os.path.exists(found):
            paths.add(os.path.realpath(found))
    # The dynamic loader is opened for execution by the kernel whenever a tool starts.
    for loader in ("/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"):
        if os.path.exists(loader):
            paths.add(os.path.realpath(loader))
    return tuple(sorted(paths))


_REGISTRY: dict[str, Language] = {}


def register(language: Language) -> Language:
    for key in (language.name, *language.aliases):
        _REGISTRY[key.lower()] = language
    return language


def registered() -> dict[str, Language]:
    return _REGISTRY
