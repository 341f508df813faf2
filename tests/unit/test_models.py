"""The models load lazily by name (app/models/__init__.py): its list of modules and models
must name every model, or `from app.models import X` of a new one fails."""

from __future__ import annotations

import pkgutil

import app.models
from app.models import Base, schema


def test_models_every_model_is_named_with_its_module():
    schema()
    defined = {(m.class_.__module__, m.class_.__name__) for m in Base.registry.mappers}
    named = {(f"app.models.{module}", name) for module, names in app.models._MODULES.items()
             for name in names}  # fmt: skip
    assert named == defined


def test_models_schema_loads_every_module():
    modules = {m.name for m in pkgutil.iter_modules(app.models.__path__)} - {"base"}
    assert modules == set(app.models._MODULES)
    assert {"risk", "approval", "context_issue"} <= set(schema().tables)


def test_models_a_model_is_found_by_name():
    assert app.models.Obligation.__tablename__ == "obligation"
    assert sorted(set(app.models.__all__) - {"Base", "schema"}) == sorted(app.models._MODULE_OF)
