"""Field descriptions shared by services (validation), views (forms, columns) and later the
workbook and the PDF, so a field's label, kind and choices are written once."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.services.engagement.bulk import once_per_value
from app.services.engagement.errors import FieldError

MAX_SHORT = 200
MAX_LONG = 20_000


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    # "text", "long", "bool", "date", "choice", "int", "number" (a decimal: a target, a
    # measured value), "choices" (several of the choices, stored as their keys separated by
    # commas, shown by their labels) or "ids": one line of item IDs (a link, which may name
    # many items, so longer than a text)
    kind: str
    choices: dict[str, str] = field(default_factory=dict)  # stored value -> label
    required: bool = False
    low: int = 0
    high: int = 0
    scale: str = ""  # a rating on the engagement's risk criteria: "likelihood" or "impact"
    default: object = None  # what a new item holds when not told (None: the kind's empty value)

    def label_of(self, value: object) -> str:
        """How a stored value reads to a person."""
        if value is None:
            return ""
        if self.kind == "choice":
            return self.choices.get(str(value), str(value))
        if self.kind == "bool":
            return "Yes" if value else "No"
        if self.kind == "choices":
            return ", ".join(self.choices.get(k, k) for k in _parts(value))
        if isinstance(value, dt.date):
            return value.isoformat()
        if self.kind == "number" and isinstance(value, int | float):
            return format_number(value)
        return str(value)

    def coerce(self, value: object) -> object:
        """The stored form of a typed or imported value, or a FieldError saying what to fix."""
        if self.kind == "date":
            return parse_date(self.name, value, self.label)
        if self.kind == "bool":
            return parse_bool(self.name, value, self.label)
        if self.kind == "int":
            if value is None or str(value).strip() == "":
                if self.required:
                    raise FieldError(self.name, f"{self.label} cannot be blank.")
                return None  # a number left out (a document with no review interval)
            return parse_int(self.name, value, self.label, self.low, self.high)
        if self.kind == "number":
            if value is None or str(value).strip() == "":
                if self.required:
                    raise FieldError(self.name, f"{self.label} cannot be blank.")
                return None
            return parse_number(self.name, value, self.label)
        if self.kind == "choice":
            return parse_choice(self.name, value, self.label, self.choices)
        if self.kind == "choices":
            keys = [parse_choice(self.name, v, self.label, self.choices) for v in _parts(value)]
            return ", ".join(dict.fromkeys(keys))
        text = "" if value is None else str(value)
        if self.kind in ("text", "ids"):
            text = text.strip()
        limit = MAX_SHORT if self.kind == "text" else MAX_LONG
        if len(text) > limit:
            raise FieldError(self.name, f"{self.label} is at most {limit:,} characters.")
        if self.required and not text.strip():
            raise FieldError(self.name, f"{self.label} cannot be blank.")
        return text


def _parts(value: object) -> list[str]:
    return [p.strip() for p in str(value or "").replace(";", ",").split(",") if p.strip()]


_ISO_SHAPE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _no_such_day(text: str) -> str:
    """The end of the refusal: which part of a YYYY-MM-DD text cannot be, or how to write it."""
    found = _ISO_SHAPE.fullmatch(text)
    if found is None:
        return ". Write it as YYYY-MM-DD, e.g. 2027-03-31."
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return f": there is no month {month}; months go from 01 to 12."
    if day < 1:
        return f": there is no day {day}; days start at 01."
    days = calendar.monthrange(year, month)[1]
    return f": {dt.date(year, month, 1):%B %Y} has {days} days."


def parse_date(name: str, value: object, label: str = "") -> dt.date | None:
    """Accept a date or ISO text; refuse dates that cannot be, with what to type instead."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        try:
            parsed = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError(
                name,
                f"{label + ': ' if label else ''}'{value}' is not a date"
                f"{_no_such_day(str(value).strip())}",
            ) from None
    if not 1990 <= parsed.year <= 2100:
        raise FieldError(
            name, f"{parsed.isoformat()} is out of range: use a year from 1990 to 2100."
        )
    return parsed


_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def parse_bool(name: str, value: object, label: str = "") -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(name, f"{label or name}: '{value}' is not yes or no.")


def parse_int(name: str, value: object, label: str, low: int, high: int) -> int:
    if isinstance(value, bool):  # a yes/no cell (TRUE): no number, though Python counts it 1
        raise FieldError(name, f"{label}: '{'TRUE' if value else 'FALSE'}' is not a whole number.")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise FieldError(name, f"{label}: '{value}' is not a whole number.") from None
    if not low <= number <= high:
        raise FieldError(name, f"{label} must be from {low} to {high}, not {number}.")
    return number


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_number(name: str, value: object, label: str) -> float:
    """A decimal as typed: "92.5", "92,5" (a decimal comma), "-3", "0.75"; a spreadsheet's
    number as it is. Anything else (a unit, a word, a thousands separator) is refused with
    what to type instead."""
    if isinstance(value, bool):
        raise FieldError(name, f"{label}: '{'TRUE' if value else 'FALSE'}' is not a number.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "")
        if not _NUMBER.fullmatch(text):
            raise FieldError(
                name,
                f"{label}: '{value}' is not a number. Type digits only, with a point for "
                "decimals (for example 92.5); the unit has a field of its own.",
            )
        number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise FieldError(name, f"{label}: '{value}' is not a number.")
    return number


def format_number(value: float) -> str:
    """92.0 -> "92", 0.125 -> "0.125": as a person writes it, without a float's noise."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def parse_choice(name: str, value: object, label: str, choices: dict[str, str]) -> str:
    text = "" if value is None else str(value).strip()
    if text in choices:
        return text
    by_label = {v.lower(): k for k, v in choices.items()}
    key = by_label.get(text.lower())
    if key is None:
        raise FieldError(name, f"{label}: '{text}' is not one of: {', '.join(choices.values())}.")
    return key


def coercer(spec: FieldSpec) -> Callable[[object], object]:
    """`spec.coerce`, for a service that checks many values at once (an import of 200,000
    rows): text that needs no fixing is taken as it is, and any other value is coerced once
    per distinct value (a few ratings, choices and dates, repeated on every row); each
    refusal raises its own FieldError from `spec.coerce`."""
    if spec.kind in ("text", "ids", "long"):
        limit = MAX_SHORT if spec.kind == "text" else MAX_LONG
        strip = spec.kind != "long"
        required = spec.required

        def text(value: object) -> object:
            if value is None and not required:
                return ""
            if type(value) is str:
                found = value.strip() if strip else value
                if len(found) <= limit and (not required or found.strip()):
                    return found
            return spec.coerce(value)

        return text
    return once_per_value(spec.coerce)
