"""What clients write in spreadsheet cells, turned into what a field stores.

Spreadsheets hand back floats for whole numbers, dates as serial numbers or text in local
formats, yes/no as `x` or TRUE, and their own words for our choices. Each function either
returns the stored form or raises FieldError saying what to write instead."""

from __future__ import annotations

import datetime as dt
import re

from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec, parse_date

# Words clients use for our choices, by field name: their word -> our stored value.
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "treatment": {
        "reduce": "modify",
        "mitigate": "modify",
        "mitigation": "modify",
        "treat": "modify",
        "control": "modify",
        "accept": "retain",
        "accepted": "retain",
        "tolerate": "retain",
        "transfer": "share",
        "insure": "share",
        "terminate": "avoid",
        "eliminate": "avoid",
    },
    "decision": {
        "yes": "included",
        "y": "included",
        "applicable": "included",
        "include": "included",
        "no": "excluded",
        "n": "excluded",
        "not applicable": "excluded",
        "n/a": "excluded",
        "exclude": "excluded",
    },
    "status": {
        "active": "open",
        "done": "implemented",
        "complete": "implemented",
        "completed": "implemented",
        "partial": "partial",
        "partially": "partial",
        "planned": "planned",
        "not started": "not_started",
        "in progress": "in_progress",
        "ongoing": "in_progress",
    },
}

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B"), dt.date(2000, number, 1).strftime("%b"))
}
_NUMERIC = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})$")
_WORDY = re.compile(
    r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$|^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$"
)
_CONTROL = re.compile(
    r"^\s*(?:A\s*[.\s]?\s*)?(\d{1,2})\s*\.\s*(\d{1,2})(?:\s*\.\s*(\d{1,2}))?\s*$", re.I
)


def plain(value: object) -> object:
    """A cell as a simple value: whole floats become ints, text is stripped."""
    if type(value) is str:  # most cells: one test, not three (read for every cell imported)
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def text_of(value: object) -> str:
    """A cell as text: numbers without float noise, dates in ISO form."""
    if type(value) is str:
        return value.strip()
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_date(name: str, label: str, value: object) -> dt.date | None:
    """A date from a real date, an Excel serial number, or text such as 2027-06-14,
    14/06/2027, 06/14/2027 or 14 June 2027. A day/month order that could be read both ways
    is refused with both readings, never guessed."""
    value = plain(value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(name, f"{label}: '{value}' is not a date.")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:
            return parse_date(name, _EXCEL_EPOCH + dt.timedelta(days=int(value)), label)
        raise FieldError(name, f"{label}: {value} is not a date.")
    if isinstance(value, dt.datetime | dt.date):
        return parse_date(name, value, label)
    text = str(value).split("\n")[0].strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}([ T].*)?$", text):
        return parse_date(name, text[:10], label)
    found = _NUMERIC.match(text)
    if found:
        return parse_date(name, _numeric_date(name, label, text, found), label)
    found = _WORDY.match(text)
    if found:
        day, month, year = (
            (found[1], found[2], found[3]) if found[1] else (found[5], found[4], found[6])
        )
        number = _MONTHS.get(month.lower())
        if number is not None:
            return parse_date(name, _make(name, label, text, int(year), number, int(day)), label)
    raise FieldError(
        name, f"{label}: '{text}' is not a date. Write it as YYYY-MM-DD, e.g. 2027-03-31."
    )


def _numeric_date(name: str, label: str, text: str, found: re.Match[str]) -> dt.date:
    first, second, third = (int(found[i]) for i in (1, 2, 3))
    if len(found[1]) == 4:  # 2027/06/14
        return _make(name, label, text, first, second, third)
    year = third + 2000 if third < 100 else third
    if first > 12:
        return _make(name, label, text, year, second, first)
    if second > 12:
        return _make(name, label, text, year, first, second)
    if first == second:
        return _make(name, label, text, year, first, second)
    raise FieldError(
        name,
        f"{label}: '{text}' could be {dt.date(year, second, first):%d %B %Y} or "
        f"{dt.date(year, first, second):%d %B %Y}. Write it as YYYY-MM-DD.",
    )


def _make(name: str, label: str, text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FieldError(name, f"{label}: '{text}' is not a date that exists.") from None


_CLAUSE = re.compile(
    r"^\s*(?:clause|cl\.|§)?\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?![\d.]*\d)\.?\s*(.*?)\s*$",
    re.I | re.S,
)


def clause_parts(text: object) -> tuple[str, str] | None:
    """`6.1.2 a)` -> ("6.1.2", "a)"); `Clause 4.1` -> ("4.1", ""); None when the text does not
    start with a clause number."""
    found = _CLAUSE.match(text_of(text))
    return (found[1], found[2]) if found else None


def control_ref(text: object) -> str | None:
    """`5.2`, `A 5.2`, `a.5.2` -> `A.5.2`; None when the text is no control reference."""
    found = _CONTROL.match(text_of(text))
    if not found:
        return None
    return "A." + ".".join(part for part in found.groups() if part)


def to_stored(spec: FieldSpec, value: object) -> object:
    """A cell as the field stores it (FieldSpec.coerce after the spreadsheet clean-up)."""
    value = plain(value)
    if spec.kind == "date":
        return to_date(spec.name, spec.label, value)
    if spec.kind == "int":
        if value is None or value == "":
            return None  # the service says whether the number may be left out
        if isinstance(value, str) and re.fullmatch(r"\d+\s*(\(.*\))?", value):
            value = int(value.split("(")[0])
        elif isinstance(value, str) and re.fullmatch(r"\d+[.,]0+", value):
            value = int(re.split(r"[.,]", value)[0])  # "4,0": a European 4
        if isinstance(value, float):
            raise FieldError(spec.name, f"{spec.label}: {value} is not a whole number.")
        return spec.coerce(value)
    if spec.kind == "number":  # a spreadsheet's number as it is, a text as typed
        return spec.coerce(value if isinstance(value, int | float) else text_of(value))
    if spec.kind == "choice":
        text = text_of(value)
        word = CHOICE_WORDS.get(spec.name, {}).get(text.lower())
        if word is not None and word in spec.choices:
            return word
        if text.lower() in {k.lower() for k in spec.choices}:
            return next(k for k in spec.choices if k.lower() == text.lower())
        return spec.coerce(text)
    if spec.kind == "bool":
        return spec.coerce(text_of(value))
    return spec.coerce(text_of(value))
