"""What the model is asked: versioned templates (``prompts/*.toml``, data) filled from the run's state."""

from __future__ import annotations

import dataclasses
import string
import tomllib
from collections.abc import Sequence
from importlib import resources

from effilab.errors import InvalidArgument
from effilab.optimize.attempt import Attempt
from effilab.optimize.target import Target

__all__ = ["DEFAULT_PROMPTS", "PromptTemplates", "build_messages", "load_templates"]

DEFAULT_PROMPTS = "optimize-v1"
_FIELDS = ("system", "propose", "context", "history", "start_from")
_MAX_FUNCTION_CHARS = 4000  # an earlier attempt's code in the history, beyond which it is cut


@dataclasses.dataclass(frozen=True, slots=True)
class PromptTemplates:
    version: str
    system: str
    propose: str
    context: str
    history: str
    start_from: str


def load_templates(version: str = DEFAULT_PROMPTS) -> PromptTemplates:
    """The templates shipped as ``prompts/<version>.toml``."""
    folder = resources.files("effilab.optimize") / "prompts"
    file = folder / f"{version}.toml"
    if not file.is_file():
        known = sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
        raise InvalidArgument(f"--prompts {version!r}: unknown; shipped versions: {', '.join(known)}")
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    missing = [name for name in ("version", *_FIELDS) if not isinstance(data.get(name), str)]
    if missing:
        raise InvalidArgument(f"prompts/{version}.toml: missing {', '.join(missing)}")
    return PromptTemplates(**{name: data[name] for name in ("version", *_FIELDS)})


def _fill(template: str, **values: str) -> str:
    return string.Template(template).safe_substitute(values)


def build_messages(
    templates: PromptTemplates,
    target: Target,
    *,
    module: str,
    workload: str,
    profile: str,
    examples: str,
    history: Sequence[Attempt] = (),
    start_from: Attempt | None = None,
) -> list[dict[str, str]]:
    """The chat messages for one proposal."""
    context = _fill(templates.context, context=target.context.strip()) if target.context.strip() else ""
    past = "\n".join(_feedback(a) for a in history)
    history_block = _fill(templates.history, attempts=past) if past else ""
    if start_from is not None:
        history_block += _fill(
            templates.start_from,
            speedup=f"{start_from.speedup or 1:.3g}",
            function=start_from.function_source.rstrip(),
            hot_lines=_hot(start_from.hot_lines),
        )
    note = " (a method: keep `self`/`cls` as they are)" if target.class_name else ""
    user = _fill(
        templates.propose,
        module=module,
        qualname=target.qualname,
        name=target.name,
        signature_note=note,
        function=target.function_source.rstrip(),
        context_block=context,
        imports="\n".join(target.imports) or "# (none)",
        workload=workload,
        profile=profile or "(no line profile available)",
        examples=examples,
        history=history_block,
    )
    return [{"role": "system", "content": templates.system}, {"role": "user", "content": user}]


def _hot(text: str) -> str:
    return f"Its profile:\n```\n{text}\n```\n" if text else ""


def _feedback(attempt: Attempt) -> str:
    """One earlier attempt as the model should learn from it: code, verdict, evidence."""
    lines = [f"- Attempt {attempt.index}: {attempt.summary_line().split(': ', 1)[0]}"]
    if attempt.detail:
        lines.append(f"  Verdict detail: {attempt.detail}")
    if attempt.expected is not None and attempt.actual is not None:
        lines.append(f"  Expected {attempt.expected}, got {attempt.actual}")
    if attempt.function_source:
        code = attempt.function_source.rstrip()
        if len(code) > _MAX_FUNCTION_CHARS:
            code = code[:_MAX_FUNCTION_CHARS] + "\n# … (cut)"
        lines.append(f"  Code:\n```python\n{code}\n```")
    if attempt.hot_lines:
        lines.append(f"  Its profile:\n```\n{attempt.hot_lines}\n```")
    return "\n".join(lines)
