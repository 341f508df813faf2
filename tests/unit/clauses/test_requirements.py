"""The clause checklist: edits, validation at the field, history and readiness."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import status
from app.services.clauses import requirements
from app.services.engagement.errors import FieldError
from app.services.soa import service as soa


def test_requirements_list_follows_catalog_order(new_file):
    rows = requirements.list_points(new_file)
    assert [r.id for r in rows] == [p.id for p in new_file.catalog.points]
    assert rows[0].clause == "4" and rows[0].status == "not_started"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("due_date", "2027-02-30", "not a date"),
        ("due_date", "31/12/2026", "YYYY-MM-DD"),
        ("due_date", "1890-01-01", "out of range"),
        ("status", "done", "not one of"),
        ("owner", "x" * 201, "at most 200"),
        ("notes", "x" * 20_001, "at most 20,000"),
        ("title", "New title", "cannot be edited"),
    ],
)
def test_requirements_bad_value_is_refused_at_the_field(new_file, field, value, words):
    with pytest.raises(FieldError, match=words) as caught:
        requirements.set_values(new_file, field, {"P-4.1-01": value})
    assert caught.value.field == field
    assert requirements.get_point(new_file, "P-4.1-01").due_date is None


def test_requirements_one_bad_value_saves_nothing(new_file):
    with pytest.raises(FieldError):
        requirements.set_values(new_file, "status", {"P-4.1-01": "implemented", "P-4.1-02": "?"})
    assert requirements.get_point(new_file, "P-4.1-01").status == "not_started"


def test_requirements_unknown_point_saves_nothing(new_file):
    with pytest.raises(FieldError, match="no checklist point P-99"):
        requirements.set_values(new_file, "owner", {"P-4.1-01": "Ann", "P-99": "Bob"})
    assert requirements.get_point(new_file, "P-4.1-01").owner == ""


def test_requirements_accepts_labels_and_iso_dates(new_file):
    requirements.set_values(new_file, "status", {"P-4.1-01": "In progress"})
    requirements.set_values(new_file, "due_date", {"P-4.1-01": "2027-01-31"})
    row = requirements.get_point(new_file, "P-4.1-01")
    assert row.status == "in_progress" and row.due_date == dt.date(2027, 1, 31)


def test_requirements_history_records_old_and_new(new_file):
    requirements.set_values(new_file, "owner", {"P-5.2-01": "Chief Risk Officer"})
    requirements.set_values(new_file, "owner", {"P-5.2-01": "CEO"})
    changes = requirements.history_of(new_file, "P-5.2-01")
    assert [(c.old, c.new) for c in changes] == [
        ("Chief Risk Officer", "CEO"),
        ("", "Chief Risk Officer"),
    ]
    assert changes[0].actor == new_file.actor and changes[0].field == "owner"


def test_requirements_returns_old_values_for_undo(new_file):
    old = requirements.set_values(
        new_file, "status", {"P-4.1-01": "implemented", "P-4.1-02": "in_progress"}
    )
    assert old == {"P-4.1-01": "not_started", "P-4.1-02": "not_started"}
    requirements.set_values(new_file, "status", old)
    assert requirements.get_point(new_file, "P-4.1-01").status == "not_started"


def test_status_counts_and_readiness(new_file):
    ids = [p.id for p in new_file.catalog.points]
    requirements.set_values(new_file, "status", {ids[0]: "implemented", ids[1]: "in_progress"})
    # implemented counts fully only with its evidence named (an unproven one is in progress)
    requirements.set_values(new_file, "evidence", {ids[0]: "DOC-004 Context register v1"})
    data = status.summary(new_file)
    assert data["requirements"]["by_status"] == {
        "not_started": len(ids) - 2,
        "in_progress": 1,
        "implemented": 1,
    }
    assert data["readiness_percent"] == round(100 * 1.5 / len(ids), 1)


def test_status_readiness_of_nothing_is_zero():
    assert status.readiness([]) == 0.0
    assert status.readiness(["implemented", "not_started"]) == 50.0


def test_requirements_control_point_shows_its_soa_line(new_file):
    soa.set_values(new_file, "decision", {"A.3.3": "included"})
    soa.set_values(new_file, "status", {"A.3.3": "implemented"})
    row = requirements.get_point(new_file, "P-A.3.3-01")
    assert (row.control_id, row.soa_decision, row.status) == ("A.3.3", "included", "implemented")
    soa.set_values(new_file, "status", {"A.3.3": "planned"})
    row = requirements.get_point(new_file, "P-A.3.3-01")
    assert row.status == "not_started" and row.status_label == "Planned"


def test_requirements_control_point_status_is_written_to_the_soa_line(new_file):
    soa.set_values(new_file, "status", {"A.3.3": "planned"})
    old = requirements.set_values(new_file, "status", {"P-A.3.3-01": "In progress"})
    assert soa.get_line(new_file, "A.3.3").status == "partial"
    assert [(c.old, c.new) for c in soa.history_of(new_file, "A.3.3")][0] == ("planned", "partial")
    changes = requirements.history_of(new_file, "P-A.3.3-01")
    assert (changes[0].field, changes[0].new) == ("status", "partial")
    requirements.set_values(new_file, "status", old)  # what undo does
    assert soa.get_line(new_file, "A.3.3").status == "planned"


def test_requirements_control_point_takes_the_soa_words_too(new_file):
    old = requirements.set_values(new_file, "status", {"P-A.3.3-01": "Planned"})
    assert old == {"P-A.3.3-01": "not_started"}
    assert soa.get_line(new_file, "A.3.3").status == "planned"
    with pytest.raises(FieldError, match="not one of"):
        requirements.set_values(new_file, "status", {"P-4.1-01": "planned"})


def test_status_leaves_points_of_excluded_controls_out_of_readiness(new_file):
    soa.set_values(new_file, "decision", {"A.3.3": "excluded"})
    soa.set_values(new_file, "status", {"A.3.3": "implemented"})
    data = status.summary(new_file)
    assert data["requirements"]["not_applicable"] == 1
    assert sum(data["requirements"]["by_status"].values()) == data["requirements"]["total"] - 1
    assert "A.3" not in data["readiness_by_clause"]
    label = requirements.get_point(new_file, "P-A.3.3-01").status_label
    assert label == "Not applicable (excluded in the SoA)"


def test_requirements_implemented_without_evidence_counts_as_in_progress_until_named(new_file):
    ids = [p.id for p in new_file.catalog.points]
    requirements.set_values(new_file, "status", {"P-4.1-01": "implemented"})
    row = requirements.get_point(new_file, "P-4.1-01")
    assert requirements.NO_EVIDENCE in row.gaps() and row.counted_status == "in_progress"
    data = status.summary(new_file)
    assert data["requirements"]["implemented_without_evidence"] == 1
    assert data["readiness_percent"] == round(100 * 0.5 / len(ids), 1)
    requirements.set_values(new_file, "evidence", {"P-4.1-01": "DOC-004 Context register v1"})
    data = status.summary(new_file)
    assert data["requirements"]["implemented_without_evidence"] == 0
    assert data["readiness_percent"] == round(100 * 1 / len(ids), 1)


def test_requirements_control_point_evidence_on_the_soa_line_counts(new_file):
    soa.set_values(new_file, "decision", {"A.3.3": "included"})
    soa.set_values(new_file, "status", {"A.3.3": "implemented"})
    assert requirements.NO_EVIDENCE in requirements.get_point(new_file, "P-A.3.3-01").gaps()
    soa.set_values(new_file, "evidence", {"A.3.3": "Speak-up procedure SUP-2 v1.1"})
    row = requirements.get_point(new_file, "P-A.3.3-01")
    assert row.gaps() == [requirements.NO_OWNER] and row.counted_status == "implemented"


def test_requirements_open_point_past_its_due_date_is_overdue(new_file):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    requirements.set_values(new_file, "due_date", {"P-4.1-01": yesterday, "P-4.1-02": yesterday})
    requirements.set_values(new_file, "status", {"P-4.1-02": "implemented"})
    requirements.set_values(new_file, "evidence", {"P-4.1-02": "DOC-004 Context register v1"})
    data = status.summary(new_file)
    assert data["requirements"]["overdue"] == 1
    assert requirements.OVERDUE in requirements.get_point(new_file, "P-4.1-01").gaps()
    assert requirements.OVERDUE not in requirements.get_point(new_file, "P-4.1-02").gaps()
    requirements.set_values(new_file, "due_date", {"P-4.1-01": dt.date.today()})
    data = status.summary(new_file)
    assert data["requirements"]["overdue"] == 0
    assert "Overdue:     0 open points past the due date" in status.as_text(data)


def test_requirements_excluded_control_point_asks_for_nothing_and_clause_points_always_apply(
    new_file,
):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    requirements.set_values(new_file, "due_date", {"P-A.3.3-01": yesterday})
    soa.set_values(new_file, "decision", {"A.3.3": "excluded"})
    soa.set_values(new_file, "status", {"A.3.3": "implemented"})
    row = requirements.get_point(new_file, "P-A.3.3-01")
    assert not row.applicable and row.gaps() == []
    assert all(r.applicable for r in requirements.list_points(new_file) if not r.control_id)
    with pytest.raises(FieldError, match="not one of"):
        requirements.set_values(new_file, "status", {"P-4.1-01": "not applicable"})
    data = status.summary(new_file)
    assert data["requirements"]["not_applicable"] == 1
    assert "1 not applicable (its control excluded in the SoA)" in status.as_text(data)


def test_requirements_sheet_says_which_points_do_not_apply(new_file, tmp_path):
    import openpyxl

    from app.services.workbook.export import export_workbook
    from app.services.workbook.importer import build_plan

    soa.set_values(new_file, "decision", {"A.3.3": "excluded"})
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    ws = openpyxl.load_workbook(path)["Checklist"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    applies = header.index("Applies")
    assert rows["P-A.3.3-01"][applies] == "Not applicable (excluded in the SoA)"
    assert rows["P-4.1-01"][applies] is None
    plan = build_plan(new_file, path)  # read-only: never imported
    assert plan.changes == 0 and plan.errors == 0
