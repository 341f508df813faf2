"""How counts read: "1 AI system", "2 AI systems", "1 entry". One helper for every count a
consultant sees, in the window, the command line and the files we write."""

from __future__ import annotations

import re


def plural(n: int, noun: str, many: str | None = None) -> str:
    """The noun in the number `n` calls for: as given for one, else `many` (the noun plus
    "s" unless given)."""
    return noun if n == 1 else many or noun + "s"


def count(n: int, noun: str, many: str | None = None) -> str:
    """`n` and its noun: "1 AI system", "1,200 points"."""
    return f"{n:,} {plural(n, noun, many)}"


def a(noun: str) -> str:
    """The noun with its article: "an issue", "a party requirement"."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


_DIGITS = re.compile(r"(\d+)")


def natural(value: str) -> tuple[object, ...]:
    """The sort key of an ID as a person counts: AIS-9 before AIS-10."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(value))
