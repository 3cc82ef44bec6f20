import json

# The requested format is exactly the standard library's C encoder with these options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def to_json(value: object) -> str:
    return _ENCODER.encode(value)
