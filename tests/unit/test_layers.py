"""Models and services never import Qt: the CLI and a future server must run without it."""

from __future__ import annotations

import ast
import os
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


# What the window's first page (the checklist) does not need: each loads when first used.
_LATER = (
    "openpyxl",
    "reportlab",
    "jsonschema",
    "python_calamine",
    "app.services.demo",
    "app.services.status",
    "app.models.context",
    "app.models.inventory",
    "app.models.pack",
    "app.models.risk",
    "app.services.workbook.read",
    "app.views.context.page",
    "app.views.inventory.tab",
    "app.views.risks.tab",
    "app.views.soa.tab",
    "app.views.pack.dialog",
    "app.views.workbook.actions",
    "app.views.workbook.import_dialog",
    "app.views.common.search_dialog",
    "app.views.common.help",
)


def _modules_after(code: str) -> list[str]:
    """Which of _LATER the code loads (or had loaded when it set `loaded`)."""
    probe = (
        "import sys\n"
        "loaded = None\n"
        f"{code}\n"
        f"print(sorted(k for k in {_LATER!r} if k in (loaded or sys.modules)))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def test_layers_the_window_paints_the_demo_with_only_its_first_page_loaded(demo_file):
    """The modules loaded when the window first paints (the status count comes after)."""
    demo_file.close()
    code = (
        "from app.views import app as window_app\n"
        "painted = window_app.collect_from_now\n"
        "def snapshot():\n"
        "    global loaded\n"
        "    loaded = loaded or set(sys.modules)\n"
        "    painted()\n"
        "window_app.collect_from_now = snapshot\n"
        "from app.cli import main\n"
        f"assert main(['gui', '--smoke', {str(demo_file.path)!r}]) == 0\n"
        "assert loaded, 'the window never painted'"
    )
    assert _modules_after(code) == []


def test_layers_the_first_page_reads_its_rows_through_core(demo_file):
    """No ORM query before the first paint: the first sets up every mapper loaded."""
    demo_file.close()
    code = (
        "import sys\n"
        "from app.views import app as window_app\n"
        "painted = window_app.collect_from_now\n"
        "def snapshot():\n"
        "    from app.models import Base\n"
        "    print('configured', sorted(m.class_.__name__ for m in Base.registry.mappers\n"
        "                               if m.configured), flush=True)\n"
        "    window_app.collect_from_now = painted\n"
        "    painted()\n"
        "window_app.collect_from_now = snapshot\n"
        "from app.cli import main\n"
        f"assert main(['gui', '--smoke', {str(demo_file.path)!r}]) == 0\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert "configured []" in out.stdout.splitlines()


def test_layers_a_tab_loads_its_area_when_first_shown(demo_file):
    demo_file.close()
    code = (
        "from app.views.app import make_app\n"
        "from app.views.main_window import MainWindow\n"
        "from app.services.engagement.file import open_engagement\n"
        "make_app()\n"
        "window = MainWindow()\n"
        f"window.set_engagement(open_engagement({str(demo_file.path)!r}), remember=False)\n"
        "window.select_tab('risks')\n"
        "assert window.tabs.currentWidget() is window.risks_tab\n"
        "window.close_engagement()"
    )
    assert _modules_after(code) == [
        "app.models.inventory",
        "app.models.risk",
        "app.views.risks.tab",
    ]


def test_layers_the_window_starts_in_the_fusion_style():
    """Fusion is asked for as a start-up option (app.views.app.make_app), not by setStyle(),
    and wins over the platform's or the user's default style."""
    code = "from app.views.app import make_app\nprint(make_app().style().name())"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_STYLE_OVERRIDE": "windows"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip().lower() == "fusion"
