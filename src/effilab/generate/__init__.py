"""Code samples from any OpenAI-compatible chat-completions endpoint, written as JSONL for ``evaluate``.

:func:`build_messages` and :func:`extract_code` define what a model is asked and what is kept of its
answer; :func:`generate` runs the resumable, retrying, concurrent request loop behind ``effilab generate``.
"""

from __future__ import annotations

from effilab.generate.prompting import SYSTEM_PROMPT, build_messages, extract_code
from effilab.generate.runner import (
    DEFAULT_RETRY,
    Failure,
    GenerateOptions,
    GenerationReport,
    Progress,
    RetryPolicy,
    default_temperature,
    generate,
    read_existing,
)

__all__ = [
    "DEFAULT_RETRY",
    "SYSTEM_PROMPT",
    "Failure",
    "GenerateOptions",
    "GenerationReport",
    "Progress",
    "RetryPolicy",
    "build_messages",
    "default_temperature",
    "extract_code",
    "generate",
    "read_existing",
]
