"""The inventory and impact assessment sections of the readiness report: every rule of the
demo named beside its system, the impacts with the criteria's labels."""

from __future__ import annotations

import re
import subprocess

from app.services.inventory import rules
from app.services.pack import build as pack
from app.services.progress import finish


def test_pack_inventory_and_impact_sections_show_the_new_rules(demo_file, tmp_path, external_tool):
    out = tmp_path / "inventory.pdf"
    finish(pack.export(demo_file, out, ["inventory", "impact"], None, "readiness"))
    text = subprocess.run(
        [external_tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for rule in rules.RULES.values():
        assert rule.id in flat, rule.id  # each rule fires on the demo, shown beside its system
    assert "1 due for reassessment (every 12 months)" in flat
    assert "Live without a completed impact assessment: AIS-005" in flat
    assert re.search(r"Severity 4 Major, Likelihood 3 Possible", flat)


def test_pack_scope_says_when_the_aims_began(demo_file, tmp_path, external_tool):
    out = tmp_path / "scope.pdf"
    finish(pack.export(demo_file, out, ["scope"], None, "submission"))
    text = subprocess.run(
        [external_tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    started = demo_file.details.aims_started_on.isoformat()
    assert re.search(rf"AIMS began on\s+{started}", text)
