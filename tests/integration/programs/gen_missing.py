def make(size, rng):
    return (size,)
