"""Models and services never import Qt: the CLI and a future server must run without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import app.services


def test_layers_models_and_services_import_without_pyside6():
    modules = ["app.models", "app.cli", "app.paths"] + [
        m.name for m in pkgutil.walk_packages(app.services.__path__, "app.services.")
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.startswith('PySide6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert len(modules) > 40


def test_layers_heavy_libraries_are_not_loaded_at_start():
    code = (
        "import sys, app.cli, app.views.main_window\n"
        "print(sorted(k for k in ('openpyxl', 'reportlab', 'jsonschema') if k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
