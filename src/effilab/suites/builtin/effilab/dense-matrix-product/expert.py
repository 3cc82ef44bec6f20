import os
from operator import mul

# Small products: BLAS worker threads only add start-up and spinning overhead (and hurt badly on
# a busy machine), so ask for a single-threaded BLAS unless the caller configured it already.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

try:
    import numpy as np
except ImportError:  # numpy is optional: fall back to C-level dot products
    np = None

_NUMPY_MIN_WORK = 4096  # n*m*p below which list <-> array conversion is not worth it


def matmul(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    if np is not None and len(a) * len(b) * len(b[0]) >= _NUMPY_MIN_WORK:
        product = np.asarray(a, dtype=np.float64) @ np.asarray(b, dtype=np.float64)
        return product.tolist()
    # Transpose once so that every entry is a dot product of two sequences, computed in C.
    columns = list(zip(*b))
    return [[sum(map(mul, row, col)) for col in columns] for row in a]
