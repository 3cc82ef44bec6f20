"""Rigorous cost measurement: backends, interleaved sampling, bootstrap intervals, complexity fits.

from effilab.measure import Program, compare
result = compare(Program(src_a, "f"), Program(src_b, "f"), inputs=[(list(range(1000)),)])
print(result.verdict, result.speedup)
"""

from __future__ import annotations

from effilab.measure.backends import BACKENDS, METRICS, CostBackend, resolve_backend
from effilab.measure.compare import CompareVerdict, Comparison, Measurement, compare
from effilab.measure.inputs import generate_inputs
from effilab.measure.metadata import HostMetadata, collect_metadata
from effilab.measure.program import Program
from effilab.measure.sampler import Sampler, values_equal
from effilab.measure.scale import ScalePoint, ScaleResult, scale

__all__ = [
    "BACKENDS",
    "METRICS",
    "CompareVerdict",
    "Comparison",
    "CostBackend",
    "HostMetadata",
    "Measurement",
    "Program",
    "Sampler",
    "ScalePoint",
    "ScaleResult",
    "collect_metadata",
    "compare",
    "generate_inputs",
    "resolve_backend",
    "scale",
    "values_equal",
]
