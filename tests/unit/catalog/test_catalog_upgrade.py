"""Upgrading an engagement's catalog: previewed, explicit, and nothing of the client's lost."""

from __future__ import annotations

import dataclasses
import json

import pytest

from app import paths
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
    assert new_file.catalog.version == "2026.1"


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
