"""unique_everseen over 6000 two-item lists drawn from the seed (about 2500 distinct)."""

import json
import os
import random

from more_itertools import unique_everseen

rng = random.Random(int(os.environ.get("EFFILAB_WORKLOAD_SEED", "0")))
rows = [[rng.randrange(50), rng.randrange(50)] for _ in range(6000)]
kept = list(unique_everseen(rows))
print(json.dumps({"kept": len(kept), "first": kept[:10], "digest": sum(a * 31 + b for a, b in kept)}))
