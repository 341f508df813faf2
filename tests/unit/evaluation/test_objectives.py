"""AI objectives (6.2) and their measurements (9.1) as a consultant meets them: numbers refused
where the measure is one, on and off track, the monitoring rules, the status JSON, the command
line, the workbook round trip, the pack and the demo."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import openpyxl
import pytest

from app.cli import main
from app.models import Measurement
from app.services import status
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import open_engagement
from app.services.evaluation import objectives as obj
from app.services.registers import service as register
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan
from tests.conftest import ROOT, require_tool

TODAY = dt.date.today()


def _objective(ef, **values):
    base = {"title": "Validate models", "measure": "Share validated", "target": "90",
            "unit": "%", "interval_months": 3}  # fmt: skip
    return register.create(ef, obj.OBJECTIVES, {**base, **values})


def _measure(ef, objective, value, days_ago=10):
    return register.create(
        ef,
        obj.MEASUREMENTS,
        {"objective": objective, "value": value, "measured_on": TODAY - dt.timedelta(days_ago)},
    )


def _objective_item(ef, item_id):
    return register.get_item(ef, obj.OBJECTIVES, item_id)


def _stored_number(ef, measurement_id):
    with ef.reading() as session:
        return session.get(Measurement, measurement_id).number


def _export(ef, path):
    for _ in export_workbook(ef, path):
        pass
    return path


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("92.5", 92.5), ("92,5", 92.5), (" -3 ", -3.0), (".5", 0.5), (7, 7.0), ("", None)],
)
def test_objectives_a_number_field_takes_a_decimal_as_typed(typed, stored):
    assert FieldSpec("target", "Target", "number").coerce(typed) == stored


@pytest.mark.parametrize("typed", ["95 %", "ninety", "1,000.5", "nan", True])
def test_objectives_a_number_field_refuses_what_is_no_number_saying_what_to_type(typed):
    with pytest.raises(FieldError) as refused:
        FieldSpec("target", "Target", "number").coerce(typed)
    assert refused.value.field == "target" and "is not a number" in refused.value.message


def test_objectives_a_number_reads_as_a_person_writes_it():
    spec = FieldSpec("target", "Target", "number")
    assert [spec.label_of(v) for v in (95.0, 0.125, None)] == ["95", "0.125", ""]


def test_objectives_a_new_objective_is_measured_by_a_number_unless_told(new_file):
    made = register.create(new_file, obj.OBJECTIVES, {"title": "Fewer complaints"})
    assert _objective_item(new_file, made).values["numeric"] is True
    assert made == "OBJ-001"


def test_objectives_a_measurement_that_is_no_number_is_refused_at_its_field(new_file):
    objective = _objective(new_file)
    with pytest.raises(FieldError) as refused:
        _measure(new_file, objective, "about ninety")
    assert refused.value.field == "value"
    assert "'about ninety' is not a number" in refused.value.message
    assert "OBJ-001 is measured by a number in %" in refused.value.message
    assert register.list_items(new_file, obj.MEASUREMENTS) == []
    made = _measure(new_file, objective, "91,5")
    assert made == "MEA-0001" and _stored_number(new_file, made) == 91.5
    with pytest.raises(FieldError) as refused:  # changed later: refused the same way
        register.update(new_file, obj.MEASUREMENTS, made, {"value": "high"})
    assert refused.value.field == "value"
    register.update(new_file, obj.MEASUREMENTS, made, {"value": "88"})
    assert _stored_number(new_file, made) == 88.0
    assert register.get_item(new_file, obj.MEASUREMENTS, made).values["value"] == "88"


def test_objectives_a_measure_in_words_takes_words_and_stores_no_number(new_file):
    objective = _objective(new_file, numeric=False, target="")
    made = _measure(new_file, objective, "Drafted; legal review pending")
    assert _stored_number(new_file, made) is None
    assert obj.judge(_objective_item(new_file, objective)).state == "not_judged"


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"measured_on": None}, "measured_on", "give the date of the measurement"),
        ({"measured_on": TODAY + dt.timedelta(days=3)}, "measured_on", "is in the future"),
        ({"objective": "OBJ-404"}, "objective", "there is no objective OBJ-404"),
        ({"objective": ""}, "objective", "cannot be blank"),
    ],
)
def test_objectives_a_measurement_needs_its_objective_and_a_past_date(
    new_file, values, field, says
):
    _objective(new_file)
    with pytest.raises(FieldError) as refused:
        register.create(
            new_file, obj.MEASUREMENTS,
            {"objective": "OBJ-001", "value": "90", "measured_on": TODAY, **values},
        )  # fmt: skip
    assert refused.value.field == field and says in refused.value.message


@pytest.mark.parametrize(
    ("direction", "latest", "state"),
    [("at_least", "89", "off_track"), ("at_least", "90", "on_track"),
     ("at_most", "90", "on_track"), ("at_most", "90.5", "off_track")],
)  # fmt: skip
def test_objectives_on_or_off_track_from_the_latest_measurement(new_file, direction, latest, state):
    objective = _objective(new_file, direction=direction)
    _measure(new_file, objective, "50" if direction == "at_least" else "150", days_ago=40)
    _measure(new_file, objective, latest, days_ago=5)
    judged = obj.judge(_objective_item(new_file, objective))
    assert judged.state == state
    side = "at least" if direction == "at_least" else "at most"
    on = (TODAY - dt.timedelta(5)).isoformat()
    assert judged.why == f"{latest} % on {on}, target {side} 90 %."


def test_objectives_a_deleted_measurement_is_no_longer_the_latest(new_file):
    objective = _objective(new_file)
    _measure(new_file, objective, "95", days_ago=40)
    late = _measure(new_file, objective, "70", days_ago=5)
    assert obj.off_track(_objective_item(new_file, objective))
    register.set_deleted(new_file, obj.MEASUREMENTS, late, True)
    assert not obj.off_track(_objective_item(new_file, objective))


def _rules(ef, item_id):
    return [r.id for r in obj.OBJECTIVES.gaps(_objective_item(ef, item_id))]


def test_objectives_rules_no_measure_or_target_and_no_interval(new_file):
    assert _rules(new_file, _objective(new_file, measure="")) == ["MON-01", "MON-02"]
    assert "MON-01" in _rules(new_file, _objective(new_file, target=""))
    assert "MON-01" not in _rules(new_file, _objective(new_file, numeric=False, target=""))
    assert "MON-03" in _rules(new_file, _objective(new_file, interval_months=""))


def test_objectives_rule_not_measured_within_the_interval_as_of_today(new_file):
    never = _objective(new_file)
    assert _rules(new_file, never) == ["MON-02"]
    _measure(new_file, never, "95", days_ago=80)  # within 3 months
    assert _rules(new_file, never) == []
    stale = _objective(new_file, interval_months=1)
    _measure(new_file, stale, "95", days_ago=80)
    assert _rules(new_file, stale) == ["MON-02"]
    without = _objective(new_file, interval_months="")  # measured, but when is it due?
    _measure(new_file, without, "95", days_ago=800)
    assert _rules(new_file, without) == ["MON-03"]


def test_objectives_an_interval_out_of_range_is_refused_with_the_range(new_file):
    with pytest.raises(FieldError) as refused:
        _objective(new_file, interval_months="0")
    assert refused.value.message == "Evaluated every (months) must be from 1 to 60, not 0."


def test_objectives_demo_shows_one_off_track_and_every_monitoring_rule(demo_file):
    data = status.summary(demo_file, check_attachments=False)["objectives"]
    assert data == {"total": 5, "without_measure": 1, "not_monitored": 2, "without_interval": 1,
                    "off_track": 1, "measurements": 9}  # fmt: skip
    items = register.list_items(demo_file, obj.OBJECTIVES)
    fired = {r.id for i in items for r in obj.OBJECTIVES.gaps(i)}
    assert fired == {"MON-01", "MON-02", "MON-03"}
    assert [i.id for i in items if obj.off_track(i)] == ["OBJ-002"]
    text = status.as_text(status.summary(demo_file, check_attachments=False))
    assert (
        "Objectives:  5 objectives (9 measurements): 1 off track, 1 with no measure or target, "
        "2 not measured within the interval, 1 with no evaluation interval" in text
    )


def test_objectives_status_json_and_the_readme_name_the_same_keys(demo_file, capsys):
    path = str(demo_file.path)
    demo_file.close()
    assert main(["status", path, "--json"]) == 0
    keys = list(json.loads(capsys.readouterr().out)["objectives"])
    assert {"total", "without_measure", "not_monitored", "off_track"} <= set(keys)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"`objectives` \(([^)]*)\)", readme)
    assert listed is not None, "the README's status line does not name `objectives`"
    assert listed[1] == ", ".join(f"`{k}`" for k in keys)


def test_objectives_list_command(demo_file, capsys):
    path = str(demo_file.path)
    demo_file.close()
    assert main(["list", path, "objectives", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in items] == [f"OBJ-00{n}" for n in range(1, 6)]
    assert items[1]["target"] == 5.0 and items[1]["direction"] == "at_most"
    assert main(["list", path, "measurements"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split("\t") == ["ID", "Objective", "Measured on", "Value", "Measured by",
                                    "Note"]  # fmt: skip
    assert len(table) == 10 and table[1].startswith("MEA-0001\tOBJ-001\t")
    assert main(["list", path, "objectives"]) == 0
    assert "\t5\tAt most the target\t" in capsys.readouterr().out  # 5, not 5.0


def test_objectives_workbook_round_trip_changes_nothing(demo_file, tmp_path):
    before = [register.list_items(demo_file, r) for r in obj.REGISTERS]
    path = _export(demo_file, tmp_path / "out.xlsx")
    plan = build_plan(demo_file, path)
    assert plan.errors == 0 and plan.changes == 0
    apply(demo_file, plan)
    assert [register.list_items(demo_file, r) for r in obj.REGISTERS] == before


def test_objectives_workbook_edits_and_new_rows_are_imported(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Objectives"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "OBJ-004":
            row[headers.index("Target")].value = 10
    wb["Measurements"].append([None, "OBJ-004", TODAY - dt.timedelta(days=2), "12,5", "GO", ""])
    # a new row of an objective measured before: added, not taken for its earlier measurement
    wb["Measurements"].append([None, "OBJ-001", TODAY, "99", "TB", ""])
    wb.save(path)
    plan = build_plan(demo_file, path)
    assert plan.errors == 0
    apply(demo_file, plan)
    item = _objective_item(demo_file, "OBJ-004")
    assert item.values["target"] == 10.0
    assert obj.judge(item).state == "off_track"  # 12.5 working days, at most 10
    assert _stored_number(demo_file, "MEA-0010") == 12.5
    assert _stored_number(demo_file, "MEA-0011") == 99.0
    assert len(register.list_items(demo_file, obj.MEASUREMENTS)) == 11


def test_objectives_import_of_a_bad_number_names_sheet_row_and_column(demo_file, tmp_path, capsys):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Measurements"].cell(row=3, column=4).value = "about 90"  # MEA-0002's value
    wb["Objectives"].cell(row=2, column=6).value = "all of them"  # OBJ-001's target
    wb.save(path)
    engagement = str(demo_file.path)
    before = [register.list_items(demo_file, r) for r in obj.REGISTERS]
    demo_file.close()
    assert main(["import-xlsx", engagement, str(path)]) == 2
    out = capsys.readouterr()
    measurements = out.out.split("Measurements")[1]
    assert "error row 3, Value: 'about 90' is not a number" in measurements
    assert "error row 2, Target: 'all of them' is not a number" in out.out.split("Objectives")[1]
    assert "nothing was imported" in out.err
    with open_engagement(engagement, read_only=True) as ef:
        assert [register.list_items(ef, r) for r in obj.REGISTERS] == before


def test_objectives_in_the_pack_with_their_charts(demo_file, tmp_path):
    pdftotext = require_tool("pdftotext")
    path = str(demo_file.path)
    demo_file.close()
    texts = {}
    for kind in ("readiness", "submission"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["export-pack", path, "-o", str(out), "--kind", kind,
                     "--sections", "objectives"]) == 0  # fmt: skip
        texts[kind] = subprocess.run(
            [pdftotext, "-layout", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
    report, submission = texts["readiness"], texts["submission"]
    for text in (report, submission):
        assert "Objectives and monitoring" in text and "Measurements (clause 9.1)" in text
        assert "OBJ-002 Keep the approval-rate difference of the credit model within" in text
        assert "Off track: 6.8 percentage points on" in text
        assert "target ≤ 5 percentage points" in text  # drawn on OBJ-002's chart
        assert "target ≥ 100 %" in text
        assert "9 measurements." in text
        assert re.search(r"Latest measurement +Drafted; legal review pending on \d{4}-", text)
    assert "MON-02 Not measured within its evaluation" in report
    assert "Not judged: no target set." in report
    assert "MON-0" not in submission and "Not judged" not in submission


def test_objectives_monitoring_rules_are_in_the_registry():
    from app.services import registry

    found = {r.id: r for r in registry.GAP_RULES if r.id.startswith("MON-")}
    assert sorted(found) == ["MON-01", "MON-02", "MON-03"]
    assert (found["MON-01"].ref, found["MON-02"].ref, found["MON-03"].ref) == ("6.2", "9.1", "9.1")
    assert "objectives" in registry.PACK_SECTIONS


def test_objectives_a_measure_made_a_number_while_words_are_measured_is_refused(new_file):
    objective = _objective(new_file, numeric=False, target="")
    _measure(new_file, objective, "Drafted")
    _measure(new_file, objective, "Published")
    with pytest.raises(FieldError) as refused:
        register.update(new_file, obj.OBJECTIVES, objective, {"numeric": True})
    assert refused.value.field == "numeric"
    assert refused.value.message == (
        "MEA-0001 records 'Drafted', which is no number (and 1 other measurement): give those "
        "measurements numbers first, or keep the measure in words."
    )
    register.update(new_file, obj.MEASUREMENTS, "MEA-0001", {"value": "1"})
    register.update(new_file, obj.MEASUREMENTS, "MEA-0002", {"value": "2"})
    register.update(new_file, obj.OBJECTIVES, objective, {"numeric": True, "target": "2"})
    assert obj.judge(_objective_item(new_file, objective)).state == "on_track"
    assert [p.value for p in obj.series(new_file, objective)] == [1.0, 2.0]


def test_objectives_libreoffice_as_the_client(demo_file, tmp_path):
    """The client records a measurement in LibreOffice Calc and saves the workbook as xlsx."""
    soffice = require_tool("soffice")
    path = _export(demo_file, tmp_path / "objectives.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Measurements"].append([None, "OBJ-002", TODAY, "4.6", "Tom Becker", "Referral band"])
    wb.save(path)
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = out / "objectives.xlsx"
    assert resaved.exists(), "soffice exits 0 even when it fails"
    plan = build_plan(demo_file, resaved)
    assert plan.errors == 0 and plan.changes == 1
    apply(demo_file, plan)
    assert status.summary(demo_file, check_attachments=False)["objectives"]["off_track"] == 0
    assert _stored_number(demo_file, "MEA-0010") == 4.6


def _hits(ef, text):
    from app.services.registers.search import search

    found = search(ef, text)
    try:
        while True:
            next(found)
    except StopIteration as stop:
        hits, _more = stop.value
    return [(h.kind, h.item_id) for h in hits]


def test_objectives_search_finds_objectives_and_measurements(demo_file):
    assert ("measurements", "MEA-0006") in _hits(demo_file, "referral band")
    assert ("objectives", "OBJ-002") in _hits(demo_file, "parity report")


def test_objectives_the_stored_number_follows_the_value_in_the_history(new_file):
    """The history records what was typed; the number beside it is no change of its own."""
    made = _measure(new_file, _objective(new_file), "80")
    register.update(new_file, obj.MEASUREMENTS, made, {"value": "85"})
    changes = register.history_of(new_file, obj.MEASUREMENTS, made)
    assert sorted(c.field for c in changes) == ["created", "value"]
    assert _stored_number(new_file, made) == 85.0
