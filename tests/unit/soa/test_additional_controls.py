"""Controls beyond Annex A: added with an ID, title and source, decided in the SoA like any
control, selectable by a risk treatment, deleted softly."""

from __future__ import annotations

import pytest

from app.services.engagement.errors import FieldError
from app.services.risks import service as risks
from app.services.soa import additional
from app.services.soa import service as soa

ISMS = {"id": "27001-A.5.15", "title": "Access control", "source": "ISO/IEC 27001 A.5.15"}


def test_additional_control_is_listed_after_annex_a_and_decided_like_any(new_file):
    additional.add(new_file, {"id": "CP-02", "title": "Model change board", "source": "Policy"})
    additional.add(new_file, ISMS)
    lines = soa.list_lines(new_file)
    assert [x.control_id for x in lines[38:]] == ["27001-A.5.15", "CP-02"]
    assert lines[38].source == "ISO/IEC 27001 A.5.15" and lines[38].decision == "undecided"
    soa.set_values(new_file, "decision", {"CP-02": "included"})
    assert soa.get_line(new_file, "CP-02").decision == "included"
    assert soa.summary(new_file)["additional_controls"] == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({**ISMS, "id": "A.5.2"}, "A.5.2 is an Annex A control"),
        ({**ISMS, "id": "a 5.2"}, "A.5.2 is an Annex A control"),
        ({**ISMS, "id": ""}, "Give the additional control an ID"),
        ({**ISMS, "id": "ISO 27001 A.5.15"}, "is not a usable ID"),
        ({**ISMS, "title": " "}, "Give the additional control a title"),
        ({**ISMS, "source": ""}, "a source"),
        ({**ISMS, "title": "x" * 201}, "keep it to 200"),
    ],
)
def test_additional_control_is_refused_with_a_clear_message(new_file, values, message):
    with pytest.raises(FieldError, match=message):
        additional.add(new_file, values)
    assert additional.list_additional(new_file) == []


def test_additional_control_ids_do_not_collide(new_file):
    additional.add(new_file, ISMS)
    with pytest.raises(FieldError, match="already an additional control 27001-A.5.15"):
        additional.add(new_file, ISMS)
    with pytest.raises(FieldError, match="already an additional control 27001-A.5.15"):
        additional.add(new_file, {**ISMS, "id": "27001-a.5.15"})


def test_additional_control_edit_delete_and_bring_back(new_file):
    additional.add(new_file, ISMS)
    old = additional.update(new_file, "27001-A.5.15", {"title": "Access rights", "source": "27001"})
    assert old == {"title": "Access control", "source": "ISO/IEC 27001 A.5.15"}
    additional.set_deleted(new_file, "27001-A.5.15", True)
    assert len(soa.list_lines(new_file)) == 38
    with pytest.raises(FieldError, match="not an Annex A control"):
        soa.set_values(new_file, "owner", {"27001-A.5.15": "CISO"})
    additional.set_deleted(new_file, "27001-A.5.15", False)
    assert soa.get_line(new_file, "27001-A.5.15").title == "Access rights"
    fields = [c.field for c in soa.history_of(new_file, "27001-A.5.15")]
    assert {"title", "source", "deleted"} <= set(fields)


def test_additional_control_selected_by_a_risk_and_not_deleted_while_it_is(new_file):
    additional.add(new_file, ISMS)
    rid, _ = risks.save_risk(
        new_file,
        None,
        {"title": "Model theft", "inherent_likelihood": 2, "inherent_impact": 4},
        controls=[
            risks.ControlChoice("27001-A.5.15", "Least privilege"),
            risks.ControlChoice("A.4.2", "Listed"),
        ],
    )
    assert [c.control_id for c in risks.get_risk(new_file, rid).controls] == [
        "A.4.2",
        "27001-A.5.15",
    ]
    assert soa.risks_by_control(new_file)["27001-A.5.15"] == [(rid, "Model theft")]
    with pytest.raises(FieldError, match=f"treatment of risk {rid}"):
        additional.set_deleted(new_file, "27001-A.5.15", True)
    with pytest.raises(FieldError, match="'CP-09' is not an Annex A control"):
        risks.save_risk(
            new_file, rid, risks.get_risk(new_file, rid).values(), controls=[
                risks.ControlChoice("CP-09", "Unknown")
            ]
        )  # fmt: skip


def test_additional_control_added_or_deleted_since_the_issue_is_a_change(new_file):
    ids = [c.id for c in new_file.catalog.controls]
    soa.set_values(new_file, "decision", dict.fromkeys(ids, "included"))
    soa.set_values(new_file, "reason_business", dict.fromkeys(ids, True))
    additional.add(new_file, ISMS)
    soa.set_values(new_file, "decision", {"27001-A.5.15": "excluded"})
    soa.set_values(new_file, "justification", {"27001-A.5.15": "No model weights kept"})
    assert soa.issue(new_file, "Board") == 1
    issued = soa.get_issued(new_file, 1).lines[-1]
    assert (issued.control_id, issued.source) == ("27001-A.5.15", "ISO/IEC 27001 A.5.15")
    additional.set_deleted(new_file, "27001-A.5.15", True)
    additional.add(new_file, {"id": "CP-01", "title": "Change board", "source": "Policy"})
    found = [(c.control_id, c.new) for c in soa.changes_since_issued(new_file)]
    assert found == [("27001-A.5.15", "deleted"), ("CP-01", "added beyond Annex A (Policy)")]
