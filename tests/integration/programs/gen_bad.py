def generate(size, rng):
    return [size]
