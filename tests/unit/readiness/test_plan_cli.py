"""`aims-prep plan` and `aims-prep set-milestone`: what they print, and a refused value
leaves the engagement as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from app.cli import main
from app.services.engagement.file import create_engagement, open_engagement
from app.services.readiness import plan


@pytest.fixture
def path(tmp_path):
    where = tmp_path / "c.aims"
    create_engagement(where, client="Acme", size="mid", aims_started_on=dt.date(2026, 11, 1),
                      stage1_date=dt.date(2027, 2, 1)).close()  # fmt: skip
    return str(where)


def test_cli_plan_prints_milestones_and_the_warning(path, capsys):
    assert main(["plan", path]) == 0
    out = capsys.readouterr().out
    assert "Stage 1 audit               2027-02-01  planned  engagement details" in out
    assert "Start: 2026-11-01 (the day the AIMS began); typically 6 to 12 months" in out
    assert "Warning: The target Stage 1 date leaves 3 months" in out
    assert "about 3 months short." in out


def test_cli_set_milestone_planned_then_done_then_clear(path, capsys):
    assert main(["set-milestone", path, "internal_audit", "--planned", "2027-01-10"]) == 0
    assert capsys.readouterr().out == "Internal audit: planned on 2027-01-10 (set in the plan).\n"
    assert main(["set-milestone", path, "gap_assessment", "--done", "2026-11-20"]) == 0
    assert main(["set-milestone", path, "internal_audit", "--clear"]) == 0
    with open_engagement(path) as ef:
        p = plan.plan(ef)
    assert p.get("internal_audit").source == "typical"
    assert (p.get("gap_assessment").date, p.get("gap_assessment").done) == (
        dt.date(2026, 11, 20), True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["stage3", "--planned", "2027-01-10"], "'stage3' is not a milestone of the plan"),
        (["stage1", "--planned", "2027-02-30"], "--planned: '2027-02-30' is not a date"),
        (["stage1", "--planned", "2027-13-01"], "there is no month 13; months go from 01 to 12"),
        (["stage1", "--done", "2099-01-01"], "a day still to come"),
        (["stage1"], "give --planned DATE, --clear or --done DATE"),
        (["stage1", "--planned", "2027-01-10", "--clear"], "not allowed with argument"),
    ],
)
def test_cli_set_milestone_refused_exits_2_and_changes_nothing(path, capsys, args, words):
    with open(path, "rb") as f:
        before = f.read()
    assert main(["set-milestone", path, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and words in err and err.count("\n") == 1
    with open(path, "rb") as f:
        assert f.read() == before
