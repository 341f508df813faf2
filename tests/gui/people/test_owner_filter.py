"""The Clauses tab's owner filter: one entry per person whatever the spellings typed, and
choosing it shows every point they own."""

from __future__ import annotations

from app.services.clauses import requirements


def test_owner_filter_one_entry_per_person_whatever_the_spelling(qtbot, window, new_file):
    requirements.set_values(new_file, "owner", {"P-4.1-01": "Dana Whitfield"})
    requirements.set_values(new_file, "owner", {"P-4.2-01": "DANA  whitfield"})
    window.set_engagement(new_file)
    tab = window.clauses_tab
    entries = [tab.owner_filter.itemText(i) for i in range(tab.owner_filter.count())]
    assert entries == ["All owners", "(no owner)", "Dana Whitfield"]
    tab.owner_filter.setCurrentIndex(2)
    assert tab.count_label.text().startswith("2 of ")
