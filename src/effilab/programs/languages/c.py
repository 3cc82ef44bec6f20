"""C with gcc: ``-std=gnu11 -O2`` (AtCoder's judge setting for C), static for the reasons given in cpp.py."""

from effilab.programs.languages.base import Language, register

C = register(
    Language(
        name="c",
        aliases=("gnu11", "c11"),
        suffixes=(".c",),
        source_name="main.c",
        null_source=b"int main(void) { return 0; }\n",
        compiler="gcc",
        flags=("-std=gnu11", "-O2", "-static", "-pipe"),
        link_flags=("-lm",),
        tools=("cc1", "collect2", "lto-wrapper", "as", "ld"),
    )
)
