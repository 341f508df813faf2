"""Bulk writing helpers: the pause of the cycle collector during an import."""

from __future__ import annotations

import gc

from app.services.engagement.bulk import no_cycle_collection


def test_cycle_collection_paused_in_nested_blocks_and_back_as_it_was():
    was = gc.isenabled()
    try:
        gc.enable()
        with no_cycle_collection():
            with no_cycle_collection():  # a preview's trial run inside the plan
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # someone else paused it: it stays paused
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_cycle_collection_comes_back_after_an_error():
    gc.enable()
    try:
        with no_cycle_collection():
            raise ValueError("refused")
    except ValueError:
        pass
    assert gc.isenabled()


def _stored(ef, table: str) -> list[tuple[object, ...]]:
    """The rows as the file holds them (not as SQLAlchemy reads them back)."""
    with ef.reading() as session:
        rows = session.connection().exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1")
        return [tuple(r) for r in rows if table != "history" or r[3] == "risk"]


def test_bulk_rows_are_stored_as_the_core_insert_stores_them(tmp_path):
    """Dates, times, booleans, empty values and the table's defaults, byte for byte."""
    import datetime as dt

    from sqlalchemy import insert

    from app.models import HistoryEntry, Risk
    from app.services.engagement.bulk import insert_rows
    from app.services.engagement.file import create_engagement

    def risk(n: int) -> dict[str, object]:  # "kind" and "description" left to their defaults
        return {
            "id": f"R-{n:03d}", "title": f"Risk {n}", "category_id": None, "source": "",
            "affected_parties": "", "owner": "Ops", "inherent_likelihood": 1 + n % 5,
            "inherent_impact": 2, "inherent_score": 2 * (1 + n % 5), "inherent_level": "Low",
            "existing_controls": "", "treatment": "modify", "residual_likelihood": None,
            "residual_impact": None, "residual_score": None, "residual_level": "",
            "residual_comment": "", "accepted_by": "CRO" if n % 2 else "",
            "accepted_on": dt.date(2027, 3, n + 1) if n % 2 else None, "acceptance_comment": "",
            "review_date": dt.date(2027, 6, 30), "status": "open", "deleted": n == 3,
        }  # fmt: skip

    at = dt.datetime(2027, 1, 2, 3, 4, 5)
    history = [
        {"at": at, "actor": "me", "entity": "risk", "entity_id": f"R-{n:03d}", "field": "created",
         "old": None, "new": f"Risk {n}"}
        for n in range(1, 5)
    ]  # fmt: skip
    found = []
    for name in ("core", "bulk"):
        ef = create_engagement(tmp_path / f"{name}.aims", client="Acme", size="small")
        with ef.writing() as session:
            connection = session.connection()
            for model, rows in ((Risk, [risk(n) for n in range(1, 5)]), (HistoryEntry, history)):
                if name == "core":
                    connection.execute(insert(model.__table__), rows)
                else:
                    insert_rows(connection, model.__table__, rows)
        found.append((_stored(ef, "risk"), _stored(ef, "history")))
        ef.close()
    assert found[1] == found[0]
    risks, entries = found[1]
    assert [r[1] for r in risks] == ["risk"] * 4  # the default kind
    assert [e[1] for e in entries] == ["2027-01-02 03:04:05.000000"] * 4
    expected = [("2027-03-02", 0), (None, 0), ("2027-03-04", 1), (None, 0)]
    assert [(r[20], r[25]) for r in risks] == expected  # a date as text, a boolean as 0 or 1


def test_a_fields_quick_coercion_gives_what_coerce_gives_and_the_same_refusals():
    import datetime as dt

    from app.services.engagement.errors import FieldError
    from app.services.engagement.fields import FieldSpec, coercer

    specs = [
        FieldSpec("title", "Title", "text", required=True),
        FieldSpec("notes", "Notes", "long"),
        FieldSpec("links", "Links", "ids"),
        FieldSpec("rating", "Rating", "int", low=1, high=5),
        FieldSpec("done", "Done", "bool"),
        FieldSpec("due", "Due", "date"),
        FieldSpec("status", "Status", "choice", {"open": "Open", "closed": "Closed"}),
    ]
    values = [None, "", "  ", " x ", "Open", "closed", "yes", "0", 0, 1, 3, 9, True, False, 4.0,
              "2027-03-31", dt.date(2027, 3, 31), dt.datetime(2027, 3, 31, 9), "a" * 201,
              "b" * 20_001, ["not", "hashable"]]  # fmt: skip

    def answer(function, value):
        try:
            return ("ok", function(value))
        except FieldError as exc:
            return ("refused", exc.field, exc.message)

    for spec in specs:
        quick = coercer(spec)
        for _ in range(2):  # the second time from what the first one remembered
            for value in values:
                assert answer(quick, value) == answer(spec.coerce, value), (spec.name, value)
