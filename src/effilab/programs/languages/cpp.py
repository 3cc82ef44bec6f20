"""C++ with g++.

Flags: ``-std=gnu++17 -O2`` is the setting of AtCoder's judge, where CodeNet's (and so PIE's) C++
submissions were written and their ``cpu_time`` measured, so slow/fast pairs keep the speed relation they
had there (PIE's gem5 runs used ``-O3``; pass other flags per run to reproduce that). ``-static`` links the
C++ runtime into the binary: its box then needs no library at all (nothing else there to execute), start-up
skips the dynamic loader, and instruction counts do not depend on the host's shared libraries.
``-pipe`` keeps the compiler's intermediate files in memory.
"""

from effilab.programs.languages.base import Language, register

CPP = register(
    Language(
        name="cpp",
        aliases=("c++", "cpp17", "gnu++17", "cxx"),
        suffixes=(".cpp", ".cc", ".cxx", ".c++"),
        source_name="main.cpp",
        null_source=b"int main() { return 0; }\n",
        compiler="g++",
        flags=("-std=gnu++17", "-O2", "-static", "-pipe"),
        tools=("cc1plus", "collect2", "lto-wrapper", "as", "ld"),
    )
)
