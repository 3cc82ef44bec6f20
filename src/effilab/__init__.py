"""effilab: make code measurably and safely faster.

.. code-block:: python

    import effilab

    report = effilab.evaluate(suite="effilab", samples="s.jsonl", k=(1, 10))
    print(report.to_dict()["pass@1"])

The functions of :mod:`effilab.api` (``evaluate``, ``compare``, ``scale``, ``optimize``, ``run``,
``load_suite``, ``doctor``, ``export``, ``build_dataset``) and their result types are re-exported here.

They are imported eagerly, on purpose: ``effilab.evaluate`` and ``effilab.optimize`` are also the names of
sub-packages, and importing a sub-package binds its name on this package. Importing the API here, after
the sub-packages it loads, leaves the names bound to the functions for good (a lazy re-export was
overwritten by the first ``from effilab.evaluate.… import …``). Reach the sub-packages with ``from``
imports, e.g. ``from effilab.evaluate.metrics import pass_at_k``.
"""

from __future__ import annotations

from effilab.errors import EffilabError, InvalidArgument, SandboxError, SandboxUnavailable

__version__ = "0.1.0"

# After __version__: modules loaded by the API import it from this (partly initialised) package.
from effilab.api import build_dataset, compare, doctor, evaluate, export, load_suite, optimize, run, scale
from effilab.reports import (
    CompareReport,
    DoctorReport,
    EvaluateReport,
    OptimizeReport,
    ProgressEvent,
    ProgressKind,
    RunReport,
    ScaleReport,
)
from effilab.training.build import DatasetReport
from effilab.training.export import ExportReport

__all__ = [
    "CompareReport",
    "DatasetReport",
    "DoctorReport",
    "EffilabError",
    "EvaluateReport",
    "ExportReport",
    "InvalidArgument",
    "OptimizeReport",
    "ProgressEvent",
    "ProgressKind",
    "RunReport",
    "SandboxError",
    "SandboxUnavailable",
    "ScaleReport",
    "__version__",
    "build_dataset",
    "compare",
    "doctor",
    "evaluate",
    "export",
    "load_suite",
    "optimize",
    "run",
    "scale",
]
