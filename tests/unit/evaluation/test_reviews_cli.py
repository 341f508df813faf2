"""Management reviews on the command line and in the workbook: prepare-review, list, status
--json, the demo's reviews, the sheets' round trip and a bad date named by sheet, row and
column."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from app.cli import main
from app.services.demo import create_demo
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation import review_inputs
from app.services.evaluation.reviews import ACTIONS, INPUTS, REVIEWS, TOPICS
from app.services.registers import service as register


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    review = register.create(ef, REVIEWS, {"title": "Spring review", "held_on": "2025-04-01"})
    register.create(ef, INPUTS, {"review": review, "topic": "audits", "notes": "Told by us"})
    register.create(ef, ACTIONS, {"action": "Fund the audit", "review": review,
                                  "owner": "Dana Whitfield", "due_date": "2025-05-01"})  # fmt: skip
    ef.close()
    return target


def test_prepare_review_fills_the_inputs_and_keeps_those_written(path, capsys):
    assert main(["prepare-review", str(path), "MR-01"]) == 0
    out = capsys.readouterr().out
    assert "MR-01: inputs as of 2025-04-01." in out
    assert "Filled 6 inputs:" in out and "Kept 1 input already written: Audit results" in out
    assert main(["prepare-review", str(path), "MR-01", "--replace"]) == 0
    assert "Filled 7 inputs:" in capsys.readouterr().out
    with open_engagement(path) as ef:
        inputs = review_inputs.inputs_of(ef, "MR-01")
    said = {topic: item.values["notes"] for topic, item in inputs.items()}
    assert said["audits"] == "As of 2025-04-01: no internal audit carried out up to now."
    assert said["nonconformities"] == (
        "As of 2025-04-01: no nonconformity open, and none raised or closed up to now."
    )


def test_prepare_review_of_an_unknown_review_exits_2(path, capsys):
    assert main(["prepare-review", str(path), "MR-07"]) == 2
    assert capsys.readouterr().err.strip() == "error: There is no management review MR-07."


def test_list_reviews_and_the_status_block(path, capsys):
    assert main(["list", str(path), "reviews", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["title"], r["held_on"]) for r in listed] == [
        ("MR-01", "Spring review", "2025-04-01")
    ]
    assert set(listed[0]) == {"id", *(f.name for f in REVIEWS.fields)}  # derived: no field
    assert main(["list", str(path), "review_actions"]) == 0
    assert "MRA-001\tFund the audit\tMR-01\tDana Whitfield\t2025-05-01" in capsys.readouterr().out
    assert main(["status", str(path), "--json"]) == 0
    block = json.loads(capsys.readouterr().out)["management_reviews"]
    assert block["held"] == 1 and block["last_date"] == "2025-04-01"
    assert block["missing_inputs"] == 1 and block["without_top_management"] == 1
    assert block["actions_overdue"] == 1


def test_the_demo_fires_each_review_rule_but_the_none_held_one(tmp_path):
    with create_demo(tmp_path / "demo.aims") as ef:
        reviews = register.list_items(ef, REVIEWS)
        found = {g for gaps in register.gaps_by_item(REVIEWS, reviews).values() for g in gaps}
        actions = register.gaps_by_item(ACTIONS, register.list_items(ef, ACTIONS))
        held = [r for r in reviews if r.values["held_on"] <= dt.date.today()]
        first = review_inputs.inputs_of(ef, held[0].id)
    assert found == {"MRV-02", "MRV-03"} and "MRV-04" in {g for v in actions.values() for g in v}
    # MRV-01 (none held) cannot fire beside a held review: the demo holds one
    assert len(held) == 1
    missing = [t for t in TOPICS if not str(first[t].values["notes"]).strip()]
    assert missing == ["improvement"]


def _sheet_edit(src, dest, sheet, id_value, column, value):
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == column)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == id_value)
    ws.cell(row, col).value = value
    wb.save(dest)
    return row


def test_review_sheets_round_trip_and_a_bad_date_is_named(path, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert main(["export-xlsx", str(path), "-o", str(out)]) == 0
    sheets = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert {"Management reviews", "Review inputs", "Review actions"} <= set(sheets)
    back = tmp_path / "back.xlsx"
    _sheet_edit(out, back, "Review actions", "MRA-001", "Done on", "2025-04-20")
    capsys.readouterr()
    assert main(["import-xlsx", str(path), str(back)]) == 0
    with open_engagement(path) as ef:
        assert register.get_item(ef, ACTIONS, "MRA-001").values["done_on"] == dt.date(2025, 4, 20)
    bad = tmp_path / "bad.xlsx"
    row = _sheet_edit(out, bad, "Management reviews", "MR-01", "Held on (or planned for)",
                      "31/02/2025")  # fmt: skip
    capsys.readouterr()
    assert main(["import-xlsx", str(path), str(bad), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    errors = {s["sheet"]: s["errors"] for s in data["sheets"]}
    [error] = errors["Management reviews"]
    assert (error["row"], error["column"]) == (row, "Held on (or planned for)")
    assert error["message"] == "Held on (or planned for): '31/02/2025' is not a date that exists."


def test_the_demo_review_takes_the_people_demos_board_member_when_there_is_one(tmp_path):
    from app.models import AimsRole, Person, RoleAssignment
    from app.services.evaluation import demo

    ef = create_engagement(tmp_path / "client.aims", client="Acme Analytics GmbH", size="small")
    with ef.writing() as s:
        now = dt.datetime(2024, 1, 1)
        s.add(Person(id="PER-001", name="Sam Whitfield", created_at=now, deleted=False))
        s.add(Person(id="PER-002", name="grace  okafor", created_at=now, deleted=False))
        s.add(AimsRole(id="ROLE-01", title="Top management", top_management=True,
                       created_at=now, deleted=False))  # fmt: skip
        s.add(RoleAssignment(id="RH-001", role="ROLE-01", person="PER-001", created_at=now,
                             deleted=False))  # fmt: skip
    demo.reviews(ef)
    first = register.get_item(ef, REVIEWS, "MR-01")
    assert first.values["attendees"] == "PER-001, PER-002"  # nobody added, names matched
    with ef.reading() as s:
        assert s.query(AimsRole).count() == 1 and s.query(Person).count() == 2
    ef.close()
