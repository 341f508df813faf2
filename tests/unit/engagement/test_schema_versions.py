"""Every released file format opens; older ones are upgraded after a backup copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.clauses import requirements
from app.services.engagement import migrations
from app.services.engagement.errors import FileWriteError
from app.services.engagement.file import open_engagement
from app.services.inventory import service as inventory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RELEASED = sorted(FIXTURES.glob("schema_v*.aims"))


def test_schema_a_fixture_exists_for_every_released_version():
    versions = {int(p.stem.removeprefix("schema_v")) for p in RELEASED}
    assert versions == set(range(1, migrations.CURRENT_VERSION + 1))


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_schema_released_file_opens_with_its_data(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    with open_engagement(path) as ef:
        assert ef.details.client == "Northwind Lending Ltd"
        statuses = {p.status for p in requirements.list_points(ef)}
        assert statuses == {"not_started", "in_progress", "implemented"}


def test_schema_older_file_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v1.aims", path)
    original = path.read_bytes()
    with open_engagement(path) as ef:
        with ef.reading() as session:
            version = session.execute(text("SELECT version FROM schema_info")).scalar()
        assert version == migrations.CURRENT_VERSION
        assert inventory.list_systems(ef) == []
    backup = tmp_path / "old (before upgrade from v1).aims"
    assert backup.read_bytes() == original


def test_schema_failed_migration_leaves_backup_and_refuses(tmp_path, monkeypatch):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v1.aims", path)

    def broken(conn):
        conn.execute(text("ALTER TABLE no_such_table ADD COLUMN x INTEGER"))

    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 1, broken)
    with pytest.raises(FileWriteError, match="could not be upgraded from format 1"):
        open_engagement(path)
    assert (tmp_path / "old (before upgrade from v1).aims").exists()


def _shape(engine):
    from sqlalchemy import inspect

    found = inspect(engine)
    return {
        table: sorted((c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table))
        for table in found.get_table_names()
    }


def test_schema_migrated_file_matches_a_new_one(tmp_path, new_file):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v1.aims", path)
    with open_engagement(path) as ef:
        assert _shape(ef.engine) == _shape(new_file.engine)
        assert inventory.list_systems(ef) == []


def test_schema_failed_step_rolls_back_its_schema_changes(tmp_path, monkeypatch):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v2.aims", path)

    def half_done(conn):
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    monkeypatch.setitem(migrations.STEPS, 2, half_done)
    with pytest.raises(FileWriteError, match="could not be upgraded from format 2"):
        open_engagement(path)
    import sqlite3

    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    version = con.execute("select version from schema_info").fetchone()[0]
    con.close()
    assert "half_done" not in tables and version == 2


def test_schema_v5_file_upgraded_to_v6_keeps_its_data_and_gains_the_audit_fields(tmp_path):
    from app.services.pack import settings as pack_settings
    from app.services.risks import service as risks
    from app.services.soa import service as soa

    path = tmp_path / "v5.aims"
    shutil.copy(FIXTURES / "schema_v5.aims", path)
    with open_engagement(path) as ef:
        assert ef.details.consultant == "Jordan Avery, Avery Governance Consulting"
        assert len(inventory.list_systems(ef)) == 10 and len(risks.list_risks(ef)) == 26
        assert pack_settings.get(ef).paper == "letter"
        assert soa.last_issued(ef).number == 1  # frozen before format 6: still readable
        line = soa.get_line(ef, "A.2.2")
        assert line.decision == "included" and line.implementation == ""
        assert ef.details.certification_body == "" and ef.details.stage2_date is None
        soa.set_values(ef, "implementation", {"A.2.2": "Board-approved AI policy"})
        ef.update_details(certification_body="Harbourline Assurance", doc_version="1.0")
    with open_engagement(path) as ef:
        assert soa.get_line(ef, "A.2.2").implementation == "Board-approved AI policy"
        assert ef.details.certification_body == "Harbourline Assurance"
        assert ef.details.doc_version == "1.0"
