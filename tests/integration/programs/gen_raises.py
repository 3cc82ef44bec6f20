def generate(size, rng):
    raise ValueError("generator exploded")
