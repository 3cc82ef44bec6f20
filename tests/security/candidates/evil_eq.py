"""Returns objects that claim to be equal to anything (or pretend to be builtins)."""

import enum


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0


class EvilList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class EvilInt(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __hash__(self):
        return 0


class EvilStr(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


class EvilDict(dict):
    def __eq__(self, other):
        return True


class EvilFloat(float):
    def __eq__(self, other):
        return True


class Impostor(AlwaysEqual):
    """Lies about its class too."""

    @property
    def __class__(self):
        return list


class Color(enum.IntEnum):
    RED = 1


def f(kind):
    return {
        "object": lambda: AlwaysEqual(),
        "list": lambda: EvilList([1, 2, 3]),
        "int": lambda: EvilInt(42),
        "str": lambda: EvilStr("answer"),
        "dict": lambda: EvilDict(a=1),
        "float": lambda: EvilFloat(1.5),
        "impostor": lambda: Impostor(),
        "intenum": lambda: Color.RED,
        "nested_in_list": lambda: [1, [2, EvilInt(3)]],
        "nested_in_tuple": lambda: (1, EvilStr("x")),
        "dict_key": lambda: {EvilInt(1): "one"},
        "dict_value": lambda: {"k": AlwaysEqual()},
        "set_member": lambda: {1, EvilInt(2)},
    }[kind]()
