def generate(size, rng):
    return (size + rng.randrange(10),)
