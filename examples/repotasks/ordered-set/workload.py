"""Build an OrderedSet of 12000 strings, then discard 1500 of them one by one, in an order from the seed."""

import json
import os
import random

from ordered_set import OrderedSet

rng = random.Random(int(os.environ.get("EFFILAB_WORKLOAD_SEED", "0")))
words = [f"w{rng.randrange(10**9)}" for _ in range(12000)]
oset = OrderedSet(words)
for word in rng.sample(list(oset), 1500):
    oset.discard(word)
print(
    json.dumps(
        {"size": len(oset), "head": list(oset[:5]), "index": [oset.index(w) for w in list(oset)[::997]]}
    )
)
