"""toposort_flatten over a DAG of 1500 nodes, each depending on its predecessor and 3 earlier nodes."""

import json
import os
import random

from toposort import toposort_flatten

rng = random.Random(int(os.environ.get("EFFILAB_WORKLOAD_SEED", "0")))
graph = {i: {i - 1, *(rng.randrange(i) for _ in range(3))} if i else set() for i in range(1500)}
order = toposort_flatten(graph)
print(json.dumps({"n": len(order), "head": order[:10], "digest": sum(i * v for i, v in enumerate(order))}))
