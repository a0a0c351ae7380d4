"""How Nuke writes and reads knob text: TCL words, numbers, animations.

This is the stand-in's own reading of Foundry's documentation, written
without the product's code (the stand-in must never import nuke_plugin):

- TCL words: bare, "quoted" (backslash escapes) or {braced} (nested braces,
  no substitution).
- Numbers: Nuke writes about 10 significant digits (the corpus of saved
  scripts: 57,500 of 66,501 long decimals have exactly 10), so ``%.10g``.
- An animated channel is ``{expression [i|I] keys...}``; keys follow the
  "Curve serialisation format" (NDK dev guide): ``[K|L|S|R|C] [k|l] [xX] Y
  [sL] [tR] [uA] [vA]``; a missing x continues the last step; ``s`` alone
  sets both slopes.
- ``Knob.toScript()`` gives the value without the outer braces a .nk line
  has (``toScript(True)`` adds them): ``1.5 1.2 1 1``, ``{curve x1 0.5 x10
  2} 1.2 1 1``. ``fromScript`` takes that same form.
"""

from __future__ import annotations

import math
from typing import List, Optional, Tuple

WHITE = " \t\n\r\f\v"


class ScriptSyntaxError(ValueError):
    """Text the stand-in (like Nuke) cannot read."""


def split_words(text: str) -> List[str]:
    """Top-level TCL words, each as written (braces and quotes kept)."""
    words: List[str] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in WHITE:
            i += 1
        if i >= n:
            return words
        start = i
        if text[i] == "{":
            depth = 0
            while i < n:
                c = text[i]
                if c == "\\":
                    i += 2
                    continue
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if depth != 0 or i >= n:
                raise ScriptSyntaxError(f"unbalanced braces in {text[:60]!r}")
            i += 1
        elif text[i] == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                raise ScriptSyntaxError(f"unclosed quote in {text[:60]!r}")
            i += 1
        else:
            while i < n and text[i] not in WHITE:
                if text[i] == "[":  # [stack 0] is one word
                    close = text.find("]", i)
                    if close < 0:
                        raise ScriptSyntaxError(f"unclosed '[' in {text[:60]!r}")
                    i = close + 1
                    continue
                if text[i] in "{}":
                    raise ScriptSyntaxError(f"unexpected {text[i]!r} in {text[:60]!r}")
                i += 2 if text[i] == "\\" else 1
        words.append(text[start:i])


def word_content(word: str) -> str:
    """What a word stands for: braces stripped once, quotes resolved."""
    if word.startswith("{") and word.endswith("}"):
        return word[1:-1]
    if word.startswith('"') and word.endswith('"') and len(word) >= 2:
        out = []
        i = 1
        while i < len(word) - 1:
            c = word[i]
            if c == "\\" and i + 1 < len(word) - 1:
                nxt = word[i + 1]
                out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                i += 2
            else:
                out.append(c)
                i += 1
        return "".join(out)
    return word


def quote_word(text: str) -> str:
    """A string as one TCL word."""
    if text and not any(c in text for c in WHITE + '{}"\\[]$;'):
        return text
    escaped = "".join("\\" + c if c in '"\\[]$' else c for c in text)
    return '"' + escaped.replace("\n", "\\n") + '"'


def format_number(value: float) -> str:
    """A number as Nuke writes it: about 10 significant digits."""
    if value == 0:
        return "0"
    return f"{value:.10g}"


def parse_number(word: str) -> float:
    """A finite number, or ScriptSyntaxError."""
    try:
        value = float(word)
    except ValueError:
        raise ScriptSyntaxError(f"{word!r} is not a number") from None
    if not math.isfinite(value):
        raise ScriptSyntaxError(f"{word!r} is not a finite number")
    return value


def is_number(word: str) -> bool:
    try:
        parse_number(word)
    except ScriptSyntaxError:
        return False
    return True


# A key as the stand-in keeps it while reading: x, y, interpolation letter,
# extrapolation letter, left slope, right slope, left and right handles.
KeyData = Tuple[float, float, str, str, Optional[float], Optional[float], float, float]


def parse_animation(inner: str) -> Tuple[str, str, List[KeyData]]:
    """``expression [i|I] keys...`` (the text inside an animation's braces)."""
    words = split_words(inner)
    if not words:
        raise ScriptSyntaxError("empty animation")
    expression = word_content(words[0])
    if words[0].startswith("{"):
        raise ScriptSyntaxError("an animation starts with an expression, not a list")
    rest = words[1:]
    flag = ""
    if rest and rest[0] in ("i", "I"):
        flag = rest.pop(0)
    keys: List[KeyData] = []
    interpolation = "S"  # docs: smooth is the default
    extrapolation = ""
    pending_x: Optional[float] = None
    for word in rest:
        if word in ("K", "L", "S", "R", "C"):
            interpolation = word
        elif word in ("k", "l"):
            extrapolation = word
        elif word[0] == "x" and is_number(word[1:]):
            pending_x = parse_number(word[1:])
        elif word[0] in "stuv" and is_number(word[1:]):
            if not keys:
                raise ScriptSyntaxError(f"tangent {word!r} before any key")
            x, y, i_, e_, ls, rs, la, ra = keys[-1]
            amount = parse_number(word[1:])
            if word[0] == "s":
                ls = amount
                rs = amount if rs is None else rs
            elif word[0] == "t":
                rs = amount
            elif word[0] == "u":
                la = amount
            else:
                ra = amount
            keys[-1] = (x, y, i_, e_, ls, rs, la, ra)
        else:
            y = parse_number(word)
            if pending_x is None:
                if not keys:
                    pending_x = 0.0
                elif len(keys) == 1:
                    pending_x = keys[0][0] + 1  # docs: "doubles the first key" (x+1 read)
                else:
                    pending_x = 2 * keys[-1][0] - keys[-2][0]
            keys.append((pending_x, y, interpolation, extrapolation, None, None, 1.0, 1.0))
            pending_x = None
            extrapolation = ""
    return expression, flag, keys


def format_animation(expression: str, flag: str, keys: List[KeyData]) -> str:
    """An animation in braces, the way Nuke writes it."""
    words = [quote_word(expression)]
    if flag:
        words.append(flag)
    current = "S"
    for x, y, interpolation, extrapolation, ls, rs, la, ra in keys:
        if interpolation != current:
            words.append(interpolation)
            current = interpolation
        if extrapolation:
            words.append(extrapolation)
        words.append("x" + format_number(x))
        words.append(format_number(y))
        if ls is not None:
            words.append("s" + format_number(ls))
            if rs is not None and rs != ls:
                words.append("t" + format_number(rs))
        elif rs is not None:
            words.append("t" + format_number(rs))
        if la != 1.0:
            words.append("u" + format_number(la))
        if ra != 1.0:
            words.append("v" + format_number(ra))
    return "{" + " ".join(words) + "}"
