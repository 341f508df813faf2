"""The rules a lead auditor raises first against a risk register (issue 14): each built to fire
and then cleared, and the approvals of the criteria and the treatment plan by management."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pytest

from app.services import status
from app.services.engagement import approvals
from app.services.engagement.approvals import Approval
from app.services.engagement.errors import FieldError
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.criteria import DEFAULT
from app.services.risks.service import Action, ControlChoice
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
FAIR = "Fair - with harmful bias managed"


def _save(ef, rid=None, controls=(), actions=(), **values):
    base = {"title": "Biased scoring", "category": FAIR, "owner": "CRO",
            "inherent_likelihood": 4, "inherent_impact": 4}  # fmt: skip
    before = risks.get_risk(ef, rid).values() if rid else base
    return risks.save_risk(ef, rid, {**before, **values}, (), controls, actions)[0]


def _flags(ef, rid):
    rows = risks.list_risks(ef)
    found = risk_rules.evaluate(rows, risks.get_criteria(ef), risks.list_categories(ef))
    return found.flags_for(rid)


def _findings(ef):
    rows, criteria = risks.list_risks(ef), risks.get_criteria(ef)
    return risk_rules.evaluate(rows, criteria, risks.list_categories(ef), risk_rules.signoff(ef))


def test_treatment_with_no_control_and_no_action_fires_and_clears(new_file):
    rid = _save(new_file, treatment="share", residual_likelihood=2, residual_impact=2)
    assert _flags(new_file, rid) == ["treatment_without_control_or_action"]
    _save(new_file, rid, controls=[ControlChoice("A.10.3", "Insurer's contract clause")])
    assert _flags(new_file, rid) == []


def test_retained_risk_needs_neither_control_nor_residual_rating(new_file):
    rid = _save(new_file, treatment="retain", accepted_by="CEO", accepted_on=TODAY)
    assert _flags(new_file, rid) == []


def test_treated_risk_without_residual_reads_not_rated_not_above_the_threshold(new_file):
    acts = [Action("Fairness tests", "CRO", None, False)]
    rid = _save(new_file, actions=acts, treatment="modify")
    assert _flags(new_file, rid) == ["residual_not_rated"]
    _save(new_file, rid, actions=acts, residual_likelihood=2, residual_impact=3)
    assert _flags(new_file, rid) == []


def test_review_overdue_fires_and_clears_when_reassessed(new_file):
    late = TODAY - 10 * DAY
    rid = _save(new_file, treatment="retain", accepted_by="CEO", accepted_on=TODAY,
                assessed_on=TODAY - 200 * DAY, review_date=late)  # fmt: skip
    assert _flags(new_file, rid) == ["review_overdue"]
    _save(new_file, rid, assessed_on=TODAY)  # reassessed since the review date
    assert _flags(new_file, rid) == []
    _save(new_file, rid, assessed_on=TODAY - 200 * DAY, review_date=TODAY + 90 * DAY)
    assert _flags(new_file, rid) == []


def test_overdue_action_is_a_gap_and_counted(new_file):
    late = Action("Parity report", "CRO", TODAY - DAY, False)
    rid = _save(new_file, actions=[late, dataclasses.replace(late, action="Second")],
                treatment="modify", residual_likelihood=2, residual_impact=2)  # fmt: skip
    assert _flags(new_file, rid) == ["actions_overdue"]
    assert status.summary(new_file)["risks"]["actions_overdue"] == 2
    done = [dataclasses.replace(late, done=True)]
    _save(new_file, rid, actions=done)
    assert _flags(new_file, rid) == [] and status.summary(new_file)["risks"]["actions_overdue"] == 0


def test_opportunity_without_action_fires_and_clears(new_file):
    rid = _save(new_file, kind="opportunity", title="Faster answers")
    assert _flags(new_file, rid) == ["opportunity_without_action"]
    _save(new_file, rid, actions=[Action("Pilot with brokers", "CRO", None, False)])
    assert _flags(new_file, rid) == []


def test_typed_category_is_unclassified_until_someone_decides(new_file):
    rid = _save(new_file, category="Model drift", treatment="retain", accepted_by="CEO",
                accepted_on=TODAY)  # fmt: skip
    drift = risks.category_named(new_file, "model drift")
    assert drift is not None and drift.kind_text == "not classified yet"
    assert _flags(new_file, rid) == ["category_unclassified"]
    assert status.summary(new_file)["risks"]["unclassified_categories"] == 1
    assert risks.classify_category(new_file, drift.id, True) == (False, False)
    assert _flags(new_file, rid) == []
    assert risks.category_named(new_file, "Model drift").kind_text == "AI-specific"
    seeded = risks.category_named(new_file, FAIR)
    assert seeded is not None and seeded.classified


def test_cyber_only_fires_on_a_token_share_and_says_the_share(new_file):
    for n in range(10):
        _save(new_file, title=f"IT risk {n}", category="Information security (IT)")
    _save(new_file, title="Bias", category=FAIR)
    found = _findings(new_file)
    assert found.cyber_only and found.ai_share == 9.1
    assert "9.1% of the live risks" in found.whole_text(risk_rules.CYBER_ONLY)
    _save(new_file, title="Opacity", category="Explainable and interpretable")
    assert not _findings(new_file).cyber_only  # 2 of 12: 16.7%


def test_unclassified_categories_are_not_taken_for_cyber_ones(new_file):
    _save(new_file, category="Model drift")
    assert not _findings(new_file).cyber_only
    drift = risks.category_named(new_file, "Model drift")
    risks.classify_category(new_file, drift.id, False)
    assert _findings(new_file).cyber_only


def test_criteria_approval_holds_until_the_criteria_change(new_file):
    assert _findings(new_file).criteria_gap and _findings(new_file).criteria_default
    version = risks.criteria_version(new_file)
    approvals.set_approval(new_file, Approval("risk_criteria", "Jo Park", "CEO", TODAY, version))
    assert not _findings(new_file).criteria_gap
    assert status.summary(new_file)["risks"]["criteria_approved"] is True
    list(risks.change_criteria(new_file, dataclasses.replace(DEFAULT, threshold=12)))
    found = _findings(new_file)
    assert found.criteria_gap and not found.criteria_default
    assert "changed since" in found.whole_text(risk_rules.CRITERIA_UNAPPROVED)


def test_plan_approval_is_asked_once_there_is_a_plan(new_file):
    assert not _findings(new_file).plan_gap  # nothing decided yet, nothing to approve
    _save(new_file, treatment="modify", actions=[Action("Tests", "CRO", None, False)])
    assert _findings(new_file).plan_gap
    assert status.summary(new_file)["risks"]["plan_approved"] is False
    approvals.set_approval(new_file, Approval("treatment_plan", "Board", "", TODAY))
    assert not _findings(new_file).plan_gap
    assert status.summary(new_file)["risks"]["plan_approved"] is True


def test_approval_set_clear_restore_and_history(new_file):
    first = Approval("treatment_plan", " Jo Park ", "Chief Executive", TODAY - DAY)
    assert approvals.set_approval(new_file, first) is None
    stored = approvals.get(new_file, "treatment_plan")
    assert stored is not None and stored.approved_by == "Jo Park"
    before = approvals.clear(new_file, "treatment_plan")
    assert before == stored and approvals.get(new_file, "treatment_plan") is None
    approvals.restore(new_file, "treatment_plan", before)  # undo of the clear
    assert approvals.get(new_file, "treatment_plan") == stored
    changes = approvals.history_of(new_file, "treatment_plan")
    assert changes[0].new == "Jo Park (Chief Executive), " + (TODAY - DAY).isoformat()
    assert changes[1].new is None and len(changes) == 3


@pytest.mark.parametrize(
    ("by", "on", "field", "words"),
    [
        ("", TODAY, "approved_by", "who approved"),
        ("Jo", None, "approved_on", "date it was approved"),
        ("Jo", "31/12/2026", "approved_on", "not a date"),
        ("Jo", TODAY + DAY, "approved_on", "future"),
    ],
)
def test_approval_without_name_or_with_a_bad_date_is_refused(new_file, by, on, field, words):
    with pytest.raises(FieldError, match=words) as caught:
        approvals.set_approval(new_file, Approval("risk_criteria", by, "", on))
    assert caught.value.field == field and approvals.get(new_file, "risk_criteria") is None


def test_assessed_on_round_trips_through_the_workbook(new_file, tmp_path):
    rid = _save(new_file, assessed_on=dt.date(2026, 3, 2))
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    wb = openpyxl.load_workbook(path)
    ws = wb["Risks"]
    headers = [c.value for c in ws[1]]
    column = headers.index("Assessed on") + 1
    assert ws.cell(2, column).value.date() == dt.date(2026, 3, 2)
    ws.cell(2, column).value = dt.datetime(2026, 4, 9)
    wb.save(path)
    apply(new_file, build_plan(new_file, path))
    assert risks.get_risk(new_file, rid).assessed_on == dt.date(2026, 4, 9)


def test_import_asks_about_new_categories_and_records_the_ticks(new_file, tmp_path):
    path = tmp_path / "client.csv"
    path.write_text(
        "Risk;Category;Likelihood;Impact;Treatment;Date assessed\n"
        "Drift after rate changes;Model drift;3;4;;2026-02-01\n"
        "Phishing of staff;Social engineering;2;3;;2026-02-01\n",
        encoding="utf-8",
    )
    plan = build_plan(new_file, path)
    (sheet,) = plan.sheets
    assert sheet.new_categories == {"Model drift": None, "Social engineering": None}
    sheet.new_categories["Model drift"] = True  # ticked in the preview
    sheet.new_categories["Social engineering"] = False  # seen there, left unticked
    apply(new_file, plan)
    kinds = {n: risks.category_named(new_file, n).kind_text for n in sheet.new_categories}
    assert kinds == {"Model drift": "AI-specific", "Social engineering": "not AI-specific"}
    assert {r.assessed_on for r in risks.list_risks(new_file)} == {dt.date(2026, 2, 1)}


def test_demo_shows_each_new_rule(demo_file):
    found = _findings(demo_file)
    new_rules = [key for key, rule in risk_rules.RULES.items() if rule.id >= "RSK-07"]
    assert len(new_rules) == 6
    for rule in new_rules:
        assert found.by_rule[rule], rule
    # the criteria were approved, then reworded: the approval was of the version before
    assert found.criteria_gap and found.plan_gap
    data = status.summary(demo_file)["risks"]
    assert data["criteria_approved"] is False and data["plan_approved"] is False
    assert data["criteria_default"] is False


def test_demo_controls_fit_their_risks(demo_file):
    by_title = {r.title: r for r in risks.list_risks(demo_file)}
    chosen = {r.title: {c.control_id for c in r.controls} for r in by_title.values()}
    assert not any("A.4.6" in ids for ids in chosen.values())  # training is 7.2/7.3 work
    staff = by_title["Staff use public chatbots with customer data"]
    assert any("training" in a.action.lower() for a in staff.actions)
    assert chosen["Customers not told they talk to an AI"] == {"A.8.2"}
    assert chosen["OCR misreads payslips"] == {"A.6.2.6"}
    assert by_title["Generated copy reuses copyrighted text"].category == "Intellectual property"


def test_import_without_the_preview_leaves_new_categories_to_classify(new_file, tmp_path):
    path = tmp_path / "client.csv"
    path.write_text("Risk;Category;Likelihood;Impact\nDrift;Model drift;3;4\n", encoding="utf-8")
    apply(new_file, build_plan(new_file, path))  # as `aims-prep import-xlsx` does: nobody asked
    assert risks.category_named(new_file, "Model drift").kind_text == "not classified yet"
    assert status.summary(new_file)["risks"]["unclassified_categories"] == 1
