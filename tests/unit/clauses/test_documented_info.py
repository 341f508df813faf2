"""The documented-information index: an Annex A control's documentation is asked for only while
the SoA includes the control."""

from __future__ import annotations

from app.services.clauses import documented_info
from app.services.pack import data as pack_data
from app.services.progress import finish
from app.services.soa import service as soa


def _entry(ef, entry_id):
    entries = documented_info.index(finish(pack_data.load(ef)))
    return next(e for e in entries if e.info.id == entry_id)


def test_documented_info_of_an_excluded_control_is_not_required(new_file):
    assert _entry(new_file, "DI-23").state == "Missing"  # A.3.3, undecided
    soa.set_values(new_file, "decision", {"A.3.3": "excluded"})
    entry = _entry(new_file, "DI-23")
    assert entry.state == "Not required" and not entry.missing
    assert entry.not_required == "Not required: the SoA excludes A.3.3."
    soa.set_values(new_file, "decision", {"A.3.3": "included"})
    assert _entry(new_file, "DI-23").state == "Missing"


def test_documented_info_of_a_range_is_required_while_one_control_is_included(new_file):
    soa.set_values(new_file, "decision", {"A.10.3": "excluded", "A.10.4": "excluded"})
    assert _entry(new_file, "DI-33").state == "Missing"  # A.10.2 still undecided
    soa.set_values(new_file, "decision", {"A.10.2": "excluded"})
    assert _entry(new_file, "DI-33").state == "Not required"
