"""The dashboard, `status` in words, its JSON and the pack's readiness report show the same
figures: they are made by the same code from the same snapshot."""

from __future__ import annotations

import json
import subprocess

from app.cli import main
from app.services.pack import build as pack
from app.services.pack import data as pack_data
from app.services.progress import finish
from app.services.readiness import catalogue, dashboard, plan


def test_agreement_json_text_and_pack_say_the_same(demo_file, tmp_path, capsys, external_tool):
    board = dashboard.compute(demo_file, check_attachments=True)
    path = demo_file.path
    demo_file.close()
    assert main(["status", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["gaps"] == dashboard.gaps_json(board)
    assert [g["id"] for g in data["gaps"][:6]] == [r.id for r in catalogue.FAILING]
    assert data["readiness_percent"] == board.figures.readiness
    assert data["plan"] == plan.as_json(board.plan)
    assert set(data["readiness_by_owner"]) == set(board.figures.by_owner)

    assert main(["status", str(path)]) == 0
    text = capsys.readouterr().out
    assert f"Readiness:   {board.figures.readiness:g}%" in text
    for g in board.failing:
        assert f"{'OPEN' if g.open else 'met '}  {g.rule.id}: {g.rule.title}" in text
    opened = sum(1 for g in board.failing if g.open)
    assert f"Audit-failing gaps: {opened} of 6 open" in text

    from app.services.engagement.file import open_engagement

    with open_engagement(path, read_only=True) as ef:
        loaded = finish(pack_data.load(ef))
        assert dashboard.gaps_json(loaded.dashboard) == data["gaps"]
        assert loaded.readiness == data["readiness_percent"]
        out = tmp_path / "report.pdf"
        finish(pack.export(ef, out, sections=["readiness"], kind="readiness"))
    pdftotext = external_tool("pdftotext")
    pdf = " ".join(subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())  # fmt: skip
    assert f"{board.figures.readiness:g}%" in pdf and f"{opened} of 6" in pdf
    for g in board.failing:
        assert g.rule.title.split(",")[0][:30] in pdf
    for g in board.other_open[:5]:
        assert g.rule.id in pdf
