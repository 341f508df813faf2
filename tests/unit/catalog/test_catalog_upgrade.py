"""Upgrading an engagement's catalog: previewed, explicit, and nothing of the client's lost."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from app import paths
from app.cli import main
from app.services import status
from app.services.catalog import content as catalog
from app.services.catalog import upgrade as catalog_upgrade
from app.services.clauses import requirements
from app.services.engagement.errors import CatalogError
from app.services.engagement.file import open_engagement


def _newer_catalog(tmp_path, version="2027.1"):
    data = json.loads(paths.catalog_path().read_text())
    data["catalog_version"] = version
    dropped = data["requirements"].pop(0)  # P-4.1-01
    data["requirements"][0]["question"] = "A reworded question?"
    added = dict(dropped, id="P-4.1-99", title="A new point", article=None)
    data["requirements"].append(added)
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(data))
    return catalog.load_file(path)


def test_upgrade_preview_lists_every_change_and_changes_nothing(new_file, tmp_path):
    requirements.set_values(new_file, "notes", {"P-4.1-01": "client work"})
    plan = catalog_upgrade.preview(new_file, _newer_catalog(tmp_path))
    assert [p.id for p in plan.added] == ["P-4.1-99"]
    assert [p.id for p in plan.retired] == ["P-4.1-01"]
    assert plan.retired_with_work == ("P-4.1-01",)
    assert plan.reworded == (catalog_upgrade.Reworded("P-4.1-02", ("question",)),)
    assert "work on it is kept" in plan.as_text()
    assert new_file.catalog.version == catalog.load_bundled().version  # unchanged


def test_upgrade_apply_keeps_retired_work_and_persists(new_file, tmp_path):
    requirements.set_values(new_file, "notes", {"P-4.1-01": "client work"})
    catalog_upgrade.apply(new_file, _newer_catalog(tmp_path))
    path = new_file.path
    new_file.close()
    with open_engagement(path) as ef:
        assert ef.catalog.version == "2027.1"
        rows = {r.id: r for r in requirements.list_points(ef)}
        assert rows["P-4.1-01"].retired and rows["P-4.1-01"].notes == "client work"
        assert rows["P-4.1-99"].status == "not_started"
        assert requirements.list_points(ef)[-1].id == "P-4.1-01"


def test_upgrade_same_catalog_changes_nothing(new_file):
    plan = catalog_upgrade.apply(new_file, new_file.catalog)
    assert not plan.has_changes and "nothing changes" in plan.as_text()


def test_upgrade_refuses_an_older_catalog(new_file):
    older = dataclasses.replace(new_file.catalog, version="2025.1")
    with pytest.raises(CatalogError, match="older"):
        catalog_upgrade.preview(new_file, older)


# An engagement saved by the previous release (format 8, catalog 2026.1, the demo's work in it).
PREVIOUS = Path(__file__).resolve().parents[2] / "fixtures" / "schema_v10.aims"


def _previous(tmp_path):
    path = tmp_path / "previous.aims"
    shutil.copyfile(PREVIOUS, path)
    return path


def test_upgrade_from_the_previous_catalog_previews_the_moves(tmp_path):
    with open_engagement(_previous(tmp_path), read_only=True) as ef:
        assert ef.catalog.version == "2026.1"
        plan = catalog_upgrade.preview(ef, catalog.load_bundled())
    added = {p.id for p in plan.added}
    assert {"P-4.1-04", "P-4.2-03", "P-6.1.3-04", "P-6.1.3-05", "P-8.4-03"} <= added
    assert {"P-A.7.2-01", "P-A.7.5-01"} <= added
    assert [p.id for p in plan.retired] == ["P-A.5.3-01"]
    text = plan.as_text()
    assert "~ clause 6.1.2: ISO 27001 title changed" in text
    assert "P-10.2-04: title, requirement, whether documented information is mandatory" in text


def test_upgrade_from_the_previous_catalog_applies_and_keeps_retired_points(tmp_path):
    path = _previous(tmp_path)
    with open_engagement(path) as ef:
        before = {r.id: r for r in requirements.list_points(ef)}
        catalog_upgrade.apply(ef, catalog.load_bundled())
    with open_engagement(path, read_only=True) as ef:
        assert ef.catalog.version == catalog.load_bundled().version
        rows = {r.id: r for r in requirements.list_points(ef)}
        retired = rows["P-A.5.3-01"]
        old = before["P-A.5.3-01"]
        assert retired.retired and (retired.notes, retired.evidence) == (old.notes, old.evidence)
        assert rows["P-8.4-03"].status == "not_started" and not rows["P-8.4-03"].retired
        assert rows["P-A.7.2-01"].control_id == "A.7.2"
        assert ef.catalog.clause_by_id["8"].iso27001_title == "Operation"
        assert status.summary(ef)["requirements"]["total"] == len(ef.catalog.points)


def test_upgrade_cli_refuses_a_catalog_with_a_made_up_clause(tmp_path, capsys):
    path = _previous(tmp_path)
    data = json.loads(paths.catalog_path().read_text())
    data["catalog_version"] = "2027.1"
    data["requirements"][5]["ref"] = "4.7"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data))
    before = path.read_bytes()
    assert main(["upgrade-catalog", str(path), "--catalog", str(hostile), "--apply"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "clause 4.7, which ISO/IEC 42001:2023 does not have" in err
    assert path.read_bytes() == before
