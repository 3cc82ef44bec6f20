"""The workload: de-duplicate a large list drawn from the seed effilab passes (EFFILAB_WORKLOAD_SEED)."""

import json
import os
import random

from tinylib.dedupe import dedupe

rng = random.Random(int(os.environ.get("EFFILAB_WORKLOAD_SEED", "0")))
items = [rng.randrange(3000) for _ in range(6000)]
result = dedupe(items)
print(
    json.dumps({"n": len(result), "head": result[:20], "checksum": sum(i * v for i, v in enumerate(result))})
)
