"""Whole programs in boxes: verdicts, limits, isolation and costs decided by the parent, in every tier."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from effilab.programs.box import BoxPool, Profile
from effilab.programs.compile import Build, compile_program
from effilab.programs.languages import get_language
from effilab.programs.limits import ProgramLimits
from effilab.programs.run import ProgramRun, run_program
from effilab.sandbox.verdict import Verdict

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="g++ is not installed")

LIMITS = ProgramLimits(timeout_s=5.0, memory_mb=256)


@pytest.fixture
def pool(any_tier: str) -> Iterator[BoxPool]:
    with BoxPool(isolation=any_tier) as boxes:
        yield boxes


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("compiled")


def build(pool: BoxPool, cache: Path, source: str, language: str = "cpp") -> Build:
    result = compile_program(get_language(language), source.encode(), pool=pool, cache_dir=cache)
    assert result.verdict is Verdict.OK, result.diagnostics
    return result


def run(pool: BoxPool, b: Build, stdin: bytes = b"", limits: ProgramLimits = LIMITS) -> ProgramRun:
    return run_program(pool, b.profile(), files=b.files(), stdin=stdin, limits=limits, executable=b.entry)


ADD = '#include <cstdio>\nint main(){long long a,b; scanf("%lld %lld",&a,&b); printf("%lld\\n",a+b);}\n'


def test_native_program_reads_stdin_and_its_cost_comes_from_the_kernel(pool: BoxPool, cache: Path) -> None:
    result = run(pool, build(pool, cache, ADD), b"40 2\n")
    assert result.verdict is Verdict.OK
    assert result.stdout == b"42\n"
    assert result.exit_code == 0
    assert result.cpu_ns is not None
    assert result.cpu_ns > 0
    assert result.accounting in ("cgroup-v1", "cgroup-v2", "wait4")


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        ("return 3;", Verdict.RUNTIME_ERROR),
        ("__builtin_trap();", Verdict.CRASHED),
        ("volatile unsigned long x = 0; for (;;) x++;", Verdict.TIMEOUT),
        ('for (;;) fputs("spam spam spam\\n", stdout);', Verdict.OUTPUT_LIMIT),
        ("std::vector<char> v(1ull << 31, 1); return v[5] - 1;", Verdict.MEMORY_LIMIT),
    ],
)
def test_failures_are_verdicts(pool: BoxPool, cache: Path, body: str, verdict: Verdict) -> None:
    source = "#include <cstdio>\n#include <vector>\nint main() { " + body + " }\n"
    limits = LIMITS.replace(timeout_s=1.0, output_bytes=10_000, memory_mb=128)
    result = run(pool, build(pool, cache, source), limits=limits)
    assert result.verdict is verdict, (result.detail, result.stderr_tail)


ESCAPES = r"""
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
int main() {
    printf("passwd %d\n", open("/etc/passwd", O_RDONLY) >= 0);
    printf("home %d\n", open("/root/.bashrc", O_RDONLY) >= 0);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{}; addr.sin_family = AF_INET; addr.sin_port = htons(80);
    addr.sin_addr.s_addr = htonl(0x01010101);
    printf("net %d\n", s >= 0 && connect(s, (sockaddr *)&addr, sizeof addr) == 0);
    char *argv[] = {(char *)"/bin/sh", (char *)"-c", (char *)"echo escaped", nullptr};
    pid_t pid = fork();
    if (pid == 0) { execv("/bin/sh", argv); _exit(99); }
    int status = 0; waitpid(pid, &status, 0);
    printf("exec %d\n", WIFEXITED(status) && WEXITSTATUS(status) == 0);
    printf("write %d\n", open("/box/planted", O_WRONLY | O_CREAT, 0644) >= 0);
}
"""


def test_a_native_program_cannot_reach_the_host(pool: BoxPool, cache: Path) -> None:
    source = ESCAPES.replace("#include <unistd.h>", "#include <unistd.h>\n#include <sys/wait.h>")
    result = run(pool, build(pool, cache, source))
    assert result.verdict is Verdict.OK, result.stderr_tail
    assert result.stdout.split(b"\n")[:5] == [b"passwd 0", b"home 0", b"net 0", b"exec 0", b"write 0"]
    assert b"escaped" not in result.stdout


def test_a_python_program_cannot_start_programs(pool: BoxPool, cache: Path) -> None:
    source = "import os, sys\nprint(sum(map(int, sys.stdin.read().split())))\nprint(os.system('echo hi'))\n"
    result = run(pool, build(pool, cache, source, "python"), b"1 2 3")
    assert result.verdict is Verdict.OK, result.stderr_tail
    lines = result.stdout.split()
    assert lines[0] == b"6"
    assert lines[1] != b"0"
    assert b"hi" not in result.stdout


def test_python_exceptions_are_runtime_errors(pool: BoxPool, cache: Path) -> None:
    result = run(pool, build(pool, cache, "raise ValueError('boom')\n", "python"))
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert b"ValueError: boom" in result.stderr_tail


def test_each_run_gets_a_fresh_box(pool: BoxPool, cache: Path) -> None:
    source = (
        "import os\nseen = os.path.exists('/tmp/mark') or os.path.exists('mark')\n"
        "open('mark', 'w').write('x')\nprint(seen)\n"
    )
    b = build(pool, cache, source, "python")
    assert [run(pool, b).stdout for _ in range(2)] == [b"False\n", b"False\n"]


def test_cpu_of_child_processes_is_counted(pool: BoxPool, cache: Path) -> None:
    source = r"""
#include <cstdio>
#include <unistd.h>
#include <sys/wait.h>
int main() {
    pid_t pid = fork();
    if (pid == 0) {
        volatile unsigned long x = 0;
        for (unsigned long i = 0; i < 400000000UL; i++) x += i;
        _exit(0);
    }
    waitpid(pid, nullptr, 0);
    puts("done");
}
"""
    result = run(pool, build(pool, cache, source))
    assert result.verdict is Verdict.OK
    assert result.cpu_ns is not None
    # The parent process did nothing; the work was its child's: still charged (≥ 50 ms of ~0.2-0.5 s).
    assert result.cpu_ns > 50_000_000


def test_compile_errors_are_verdicts_and_compilation_is_cached(pool: BoxPool, tmp_path: Path) -> None:
    cpp = get_language("cpp")
    cache = tmp_path / "cache"
    bad = compile_program(cpp, b"int main( {", pool=pool, cache_dir=cache)
    assert bad.verdict is Verdict.COMPILE_ERROR
    assert "error" in bad.diagnostics
    first = compile_program(cpp, b"int main() { return 0; } // cache me\n", pool=pool, cache_dir=cache)
    again = compile_program(cpp, b"int main() { return 0; } // cache me\n", pool=pool, cache_dir=cache)
    assert first.verdict is Verdict.OK
    assert not first.cached
    assert again.cached
    assert again.executable == first.executable
    assert compile_program(cpp, b"int main( {", pool=pool, cache_dir=cache).cached


def test_the_compile_profile_runs_only_the_allowed_tools(pool: BoxPool) -> None:
    env = os.path.realpath("/usr/bin/env")
    profile = Profile("only-env", (env, "true"), system=True, exec_paths=(env,))
    result = run_program(pool, profile, files={}, stdin=b"", limits=LIMITS)
    assert result.verdict is Verdict.RUNTIME_ERROR  # env could start, `true` could not
    assert b"Permission denied" in result.stderr_tail


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_native_instruction_counts_are_identical_across_runs(tmp_path: Path) -> None:
    from effilab.programs.counting import count_instructions

    with BoxPool(isolation="bwrap") as boxes:
        b = build(boxes, tmp_path, ADD.replace("a+b", "a*b"))
        counts = {
            count_instructions(boxes, b.profile(), files=b.files(), stdin=b"6 7\n", limits=LIMITS,
                               executable=b.entry).instructions
            for _ in range(3)
        }  # fmt: skip
    assert len(counts) == 1
    assert None not in counts
