"""How two spellings of one person's name are compared: plain text, no database, so the
checklist's owner filter can use it without loading the models at start-up."""

from __future__ import annotations

import re


def normalized(name: object) -> str:
    """The form two spellings of one name share: "  dana   WHITFIELD " -> "dana whitfield"."""
    return " ".join(str(name or "").split()).casefold()


# a role or title written after a name, as owners are often typed: "Priya Shah (CRO)"
_ROLE_AFTER = re.compile(r"(?P<name>.*\S)\s*\([^()]*\)\s*")


def without_role(name: object) -> str:
    """The name before a role written after it in brackets, or the text as it is."""
    text = str(name or "")
    found = _ROLE_AFTER.fullmatch(text)
    return found.group("name") if found is not None else text


def name_key(name: object) -> str:
    """A typed owner as a name to compare with a person's: case, spacing and a role in
    brackets after it aside."""
    return normalized(without_role(name))
