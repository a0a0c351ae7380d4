"""Nuke's knob expressions, evaluated the way the stand-in models Nuke.

Nuke's expressions are TCL ``expr``-like: numbers, + - * / % and ``**``,
comparisons, && || !, the ``c ? a : b`` choice, functions such as ``pow``,
``frame``, ``curve`` (the channel's own keys) and references to knobs:
``stops`` (a knob of this node), ``stops.r`` (one channel), ``parent.stops``
(a knob of the enclosing group), ``Multiply1.value.g`` (a node in the same
group). Nothing here uses Python's eval: a small parser walks the text.

Docs silent (the stand-in's choice): a reference without a channel to a
knob with several channels reads the channel being evaluated when it has
one, else channel 0.
"""

from __future__ import annotations

import math
import re
from typing import Callable, List, Optional, Tuple, Union

_TOKEN = re.compile(
    r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"  # number
    r"|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)"  # name, dotted
    r"|(\*\*|&&|\|\||==|!=|<=|>=|[-+*/%()?:,<>!]))"
)

FUNCTIONS = {
    "pow": (2, math.pow),
    "exp": (1, math.exp),
    "log": (1, math.log),
    "log10": (1, math.log10),
    "sqrt": (1, math.sqrt),
    "abs": (1, abs),
    "fabs": (1, abs),
    "floor": (1, math.floor),
    "ceil": (1, math.ceil),
    "int": (1, lambda v: float(int(v))),
    "min": (2, min),
    "max": (2, max),
    "sin": (1, math.sin),
    "cos": (1, math.cos),
}
CONSTANTS = {"pi": math.pi, "e": math.e}

Node = Union[float, Tuple]  # the parsed tree: numbers and tuples


class ExpressionError(ValueError):
    """An expression the stand-in cannot evaluate (Nuke would show an error)."""


def _tokens(text: str) -> List[str]:
    tokens: List[str] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"cannot read {text[position : position + 20]!r} in {text!r}")
        tokens.append(next(g for g in match.groups() if g is not None))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> Optional[str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected: Optional[str] = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ExpressionError(f"expected {expected or 'more'} in {self.text!r}")
        self.i += 1
        return token

    def parse(self) -> Node:
        tree = self.choice()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r} in {self.text!r}")
        return tree

    def choice(self) -> Node:
        test = self.binary(0)
        if self.peek() == "?":
            self.take("?")
            yes = self.choice()
            self.take(":")
            no = self.choice()
            return ("?", test, yes, no)
        return test

    LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Node:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in self.LEVELS[level]:
            op = self.take()
            left = (op, left, self.binary(level + 1))
        return left

    def unary(self) -> Node:
        if self.peek() in ("-", "+", "!"):
            op = self.take()
            return ("u" + op, self.unary())
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        if self.peek() == "**":
            self.take()
            return ("**", base, self.unary())  # right-associative
        return base

    def primary(self) -> Node:
        token = self.take()
        if token == "(":
            inner = self.choice()
            self.take(")")
            return inner
        if token[0].isdigit() or token[0] == ".":
            return float(token)
        if token[0].isalpha() or token[0] == "_":
            if self.peek() == "(":
                self.take("(")
                args: List[Node] = []
                if self.peek() != ")":
                    args.append(self.choice())
                    while self.peek() == ",":
                        self.take(",")
                        args.append(self.choice())
                self.take(")")
                return ("call", token, tuple(args))
            return ("name", token)
        raise ExpressionError(f"unexpected {token!r} in {self.text!r}")


def parse(text: str) -> Node:
    return _Parser(text).parse()


Resolve = Callable[[str], float]


def evaluate(text: str, resolve: Resolve) -> float:
    """Evaluate ``text``; ``resolve`` gives the value of a name (frame,
    curve, knob references)."""
    return _value(parse(text), resolve)


def _value(tree: Node, resolve: Resolve) -> float:
    if isinstance(tree, float):
        return tree
    kind = tree[0]
    if kind == "name":
        if tree[1] in CONSTANTS:
            return CONSTANTS[tree[1]]
        return float(resolve(tree[1]))
    if kind == "call":
        name, args = tree[1], tree[2]
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name}()")
        count, function = FUNCTIONS[name]
        if len(args) != count:
            raise ExpressionError(f"{name}() takes {count} argument(s)")
        try:
            return float(function(*(_value(a, resolve) for a in args)))
        except (ValueError, OverflowError) as error:
            raise ExpressionError(f"{name}(): {error}") from None
    if kind == "?":
        return _value(tree[2] if _value(tree[1], resolve) else tree[3], resolve)
    if kind.startswith("u"):
        operand = _value(tree[1], resolve)
        return {"u-": -operand, "u+": operand, "u!": float(not operand)}[kind]
    a, b = _value(tree[1], resolve), _value(tree[2], resolve)
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b
    if kind in ("/", "%"):
        if b == 0:
            raise ExpressionError("division by zero")
        return a / b if kind == "/" else math.fmod(a, b)
    if kind == "**":
        try:
            return float(a**b)
        except (OverflowError, ZeroDivisionError) as error:
            raise ExpressionError(str(error)) from None
    comparisons = {
        "<": a < b,
        ">": a > b,
        "<=": a <= b,
        ">=": a >= b,
        "==": a == b,
        "!=": a != b,
        "&&": bool(a) and bool(b),
        "||": bool(a) or bool(b),
    }
    return float(comparisons[kind])
