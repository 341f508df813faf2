"""`aims-prep status` in words says every count its JSON has, and warns of a past Stage 1."""

from __future__ import annotations

import datetime as dt
import itertools

from app.services import status


def _numbered(data, numbers):
    """The summary with every count replaced by a number of its own, so each can be found."""
    if isinstance(data, dict):
        return {k: _numbered(v, numbers) for k, v in data.items()}
    if isinstance(data, int | float) and not isinstance(data, bool):
        return next(numbers)
    return data


def test_status_text_shows_every_count_of_the_json(demo_file):
    numbers = itertools.count(7001, 13)
    data = _numbered(status.summary(demo_file), numbers)
    text = status.as_text(data)
    missing = [
        n for n in range(7001, next(numbers), 13) if f"{n:,}" not in text and str(n) not in text
    ]
    assert missing == []


def test_status_text_counts_one_in_the_singular(demo_file):
    data = status.summary(demo_file)
    data["requirements"]["without_owner"] = 1
    data["risks"]["opportunities"] = 1
    text = status.as_text(data)
    assert "No owner:    1 point\n" in text and "1 opportunity;" in text


def test_status_warns_of_a_past_stage1_date():
    today = dt.date(2026, 12, 1)
    assert status.stage1_warning(dt.date(2026, 11, 30), today).startswith(
        "The target Stage 1 date (2026-11-30) passed 1 day ago."
    )
    assert status.stage1_warning(today, today) == "" and status.stage1_warning(None) == ""


def test_status_text_flags_a_passed_stage1_date(demo_file):
    data = status.summary(demo_file)
    data["stage1_date"] = (dt.date.today() - dt.timedelta(days=5)).isoformat()
    assert f"Stage 1:     {data['stage1_date']}, passed 5 days ago" in status.as_text(data)


def test_status_readme_lists_every_section_with_the_keys_the_json_holds(demo_file):
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("| `aims-prep status"))
    data = status.summary(demo_file)
    for section, value in data.items():
        if not isinstance(value, dict) or section in ("readiness_by_clause", "readiness_by_owner"):
            continue
        listed = re.search(rf"`{section}` \(([^)]*)\)", line)
        assert listed is not None, f"the README's status line does not name `{section}`"
        assert listed[1] == ", ".join(f"`{k}`" for k in value), section
