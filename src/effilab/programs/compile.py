"""Compilation of whole programs in the sandbox, cached by source digest.

The compiler is untrusted input's first reader, so it runs in a box of its own profile: the system's
``/usr`` and ``/lib`` read-only, a private writable ``/tmp``, no network, and (Landlock) execute rights only
for the compiler and the tools it reports with ``-print-prog-name`` (cc1plus, as, ld, collect2): it may run
its own tools and nothing else. Time, memory and output are limited as for any program; a compile error is
a verdict (``compile_error``), with the compiler's diagnostics.

The cache is content-addressed: ``<cache>/<2 hex>/<sha256 of language, compiler version, flags and
source>/prog``, written atomically, so concurrent evaluations share it and a stale entry cannot exist.
Failed compilations are cached too (their diagnostics), so a broken sample is not recompiled on resume.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from pathlib import Path

from effilab.programs.box import BoxPool, Profile
from effilab.programs.languages import Language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import run_program
from effilab.sandbox.verdict import Verdict

__all__ = ["COMPILE_LIMITS", "Build", "compile_program", "default_cache_dir"]

COMPILE_LIMITS = ProgramLimits(timeout_s=60.0, memory_mb=2048, output_bytes=1 << 20, stderr_bytes=16384,
                               file_size_mb=256, max_processes=16)  # fmt: skip
_ENTRY = "prog"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/effilab/programs`` or ``~/.cache/effilab/programs`` (resolved by the CLI edge)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "effilab" / "programs"


@dataclasses.dataclass(frozen=True, slots=True)
class Build:
    """A program ready to run: a binary for compiled languages, the source itself otherwise."""

    language: Language
    verdict: Verdict
    """``ok`` or ``compile_error`` (``timeout``/``memory_limit``/``output_limit`` if the compiler hit one)."""
    digest: str
    executable: Path | None
    source: bytes
    diagnostics: str = ""
    cached: bool = False
    compile_s: float = 0.0

    def profile(self) -> Profile:
        """How the program runs in a box."""
        if self.language.compiled:
            return Profile(f"{self.language.name}-native", ("{box}/" + _ENTRY,))
        return Profile(self.language.name, (), mode="python", source=self.language.source_name)

    def files(self) -> dict[str, bytes | Path]:
        if self.language.compiled:
            assert self.executable is not None
            return {_ENTRY: self.executable}
        return {self.language.source_name: self.source}

    @property
    def entry(self) -> str | None:
        return _ENTRY if self.language.compiled else None


def _digest(language: Language, source: bytes, flags: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    identity = language.compiler_identity() if language.compiled else "interpreted"
    h.update(json.dumps([language.name, identity, list(flags)]).encode())
    h.update(b"\0")
    h.update(source)
    return h.hexdigest()


def compile_program(
    language: Language,
    source: bytes,
    *,
    pool: BoxPool,
    cache_dir: Path,
    flags: tuple[str, ...] | None = None,
    limits: ProgramLimits = COMPILE_LIMITS,
) -> Build:
    """Compile ``source`` (or return the cached result); interpreted languages only get a digest."""
    chosen = language.flags if flags is None else tuple(flags)
    digest = _digest(language, source, chosen)
    if not language.compiled:
        return Build(language, Verdict.OK, digest, None, source)
    entry_dir = cache_dir / digest[:2] / digest
    binary = entry_dir / _ENTRY
    failure = entry_dir / "failure.json"
    if binary.exists():
        return Build(language, Verdict.OK, digest, binary, source, cached=True)
    if failure.exists():
        record = json.loads(failure.read_text())
        return Build(language, Verdict(record["verdict"]), digest, None, source, record["diagnostics"], True)
    entry_dir.mkdir(parents=True, exist_ok=True)
    profile = Profile(
        f"{language.name}-compiler",
        tuple(
            language.compile_argv(
                source=f"{{box}}/{language.source_name}", output="{tmp}/" + _ENTRY, flags=chosen
            )
        ),
        system=True,
        exec_paths=language.tool_paths(),
    )
    start = time.perf_counter()
    run = run_program(pool, profile, files={language.source_name: source}, stdin=b"", limits=limits,
                      collect=(_ENTRY, binary))  # fmt: skip
    seconds = time.perf_counter() - start
    diagnostics = (run.stderr_tail + run.stdout[-4096:]).decode(errors="replace")
    if run.verdict is Verdict.OK and binary.exists():
        os.chmod(binary, 0o755)
        return Build(language, Verdict.OK, digest, binary, source, diagnostics, False, seconds)
    verdict = Verdict.COMPILE_ERROR if run.verdict in (Verdict.OK, Verdict.RUNTIME_ERROR) else run.verdict
    if verdict is Verdict.COMPILE_ERROR:
        tmp = failure.with_name(f".failure.{os.getpid()}.part")
        tmp.write_text(json.dumps({"verdict": verdict.value, "diagnostics": diagnostics}))
        os.replace(tmp, failure)
    return Build(language, verdict, digest, None, source, diagnostics, False, seconds)
