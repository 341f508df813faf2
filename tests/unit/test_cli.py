"""The command line: exit codes, one-line errors, and the JSON a script relies on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.cli import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_new_then_status_json(tmp_path, capsys):
    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Café Ōsaka KK", "--size", "small", "--iso27001"]) == 0
    capsys.readouterr()
    assert main(["status", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["client"] == "Café Ōsaka KK"
    assert data["catalog_version"] == "2026.2"
    assert set(data["requirements"]["by_status"]) == {"not_started", "in_progress", "implemented"}
    assert data["requirements"]["total"] == data["requirements"]["by_status"]["not_started"]
    assert data["readiness_percent"] == 0.0


def test_cli_demo_status_text(tmp_path, capsys):
    path = str(tmp_path / "d.aims")
    assert main(["demo", path]) == 0
    assert main(["status", path]) == 0
    out = capsys.readouterr().out
    assert "Northwind Lending Ltd" in out and "Readiness:" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["status", "{tmp}/missing.aims"], "does not exist"),
        (["status", "{tmp}"], "folder"),
        (["new", "{tmp}/x.aims", "--client", ""], "Client cannot be blank"),
        (["new", "{tmp}/x.aims", "--client", "A", "--size", "huge"], "invalid choice"),
        (["new", "{tmp}/x.aims", "--client", "A", "--stage1", "2027-13-01"], "not a date"),
        (["new", "{tmp}/nofolder/x.aims", "--client", "A"], "does not exist"),
        (["screenshot", "{tmp}/x.aims", "--tab", "nope", "-o", "{tmp}/o.png"], "invalid choice"),
        (["screenshot", "{tmp}/x.aims", "--size", "big", "-o", "{tmp}/o.png"], "not a size"),
        (["frobnicate"], "invalid choice"),
        (["status"], "required"),
    ],
)
def test_cli_bad_input_exits_2_with_one_error_line(tmp_path, capsys, args, words):
    code = main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and words in err
    assert len(err.strip().splitlines()) == 1


def test_cli_not_an_engagement_in_a_real_process(tmp_path):
    bad = tmp_path / "notes.aims"
    bad.write_text("hello")
    result = run("status", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_cli_copy_and_upgrade_preview(tmp_path, capsys):
    path, copy = str(tmp_path / "a.aims"), str(tmp_path / "b.aims")
    main(["new", path, "--client", "A"])
    assert main(["copy", path, copy]) == 0
    assert main(["upgrade-catalog", copy]) == 0
    assert "nothing changes" in capsys.readouterr().out


@pytest.mark.parametrize("tab", ["Clauses", "inventory", "risks", "soa"])
def test_cli_screenshot_writes_png_of_the_size(tmp_path, tab):
    path = tmp_path / "d.aims"
    main(["demo", str(path)])
    out = tmp_path / "shot.png"
    result = run("screenshot", str(path), "--tab", tab, "-o", str(out), "--size", "1000x700")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no Qt plugin notes
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (
        1000,
        700,
    )


def test_cli_screenshot_selects_an_item_and_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "d.aims"
    main(["demo", str(path)])
    before, names = path.read_bytes(), {p.name for p in tmp_path.iterdir()}
    out = tmp_path / "shot.png"
    result = run("screenshot", str(path), "--tab", "risks", "--select", "R-001", "-o", str(out))
    assert result.returncode == 0 and result.stderr == ""
    assert out.exists() and path.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == names | {"shot.png"}  # the copy is gone


def test_cli_screenshot_of_an_unknown_item_exits_2(tmp_path):
    path = tmp_path / "d.aims"
    main(["demo", str(path)])
    out = tmp_path / "shot.png"
    result = run("screenshot", str(path), "--tab", "soa", "--select", "A.99", "-o", str(out))
    assert result.returncode == 2 and "There is no A.99 in the SoA tab" in result.stderr
    assert not out.exists()


def test_cli_screenshot_of_a_bad_file_exits_2(tmp_path):
    result = run("screenshot", str(tmp_path / "none.aims"), "-o", str(tmp_path / "o.png"))
    assert result.returncode == 2 and result.stderr.startswith("error: ")
    assert not (tmp_path / "o.png").exists()


def test_cli_a_file_alone_opens_it_in_the_window(demo_file):
    # as a file manager calls the program an engagement file is opened with
    path = str(demo_file.path)
    demo_file.close()
    result = subprocess.run(
        [sys.executable, "-m", "app", path, "--smoke"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout


def test_cli_export_pack_help_and_readme_name_every_section(capsys):
    from pathlib import Path

    from app.services.registry import PACK_SECTIONS

    with pytest.raises(SystemExit):
        main(["export-pack", "--help"])
    shown = "".join(capsys.readouterr().out.split())  # the help wraps anywhere
    listed = ",".join(PACK_SECTIONS)
    assert listed in shown
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"from `{listed}`" in readme
