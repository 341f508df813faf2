"""The SoA in the pack: controls beyond Annex A printed with their source, the new gaps in
the readiness report's gap table."""

from __future__ import annotations

import subprocess

from app.services.pack import build as pack
from app.services.progress import finish
from app.services.soa import additional
from app.services.soa import service as soa
from tests.conftest import require_tool


def _text(ef, path, kind):
    finish(pack.export(ef, path, ["soa", "readiness"] if kind else ["soa"], None, kind))
    out = subprocess.run(
        [require_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())


def test_soa_pack_prints_a_control_beyond_annex_a_with_its_source(new_file, tmp_path):
    additional.add(new_file, {"id": "CP-01", "title": "Change board", "source": "Client policy"})
    soa.set_values(new_file, "decision", {"CP-01": "included", "A.2.2": "included"})
    text = _text(new_file, tmp_path / "s.pdf", None)
    assert "CP-01 Change board (beyond Annex A; source: Client policy)" in text
    report = _text(new_file, tmp_path / "r.pdf", "readiness")
    assert "SOA-06 Included, with no reason for the inclusion 6.1.3 Minor 2" in report
    assert "A.2.2, CP-01" in report  # the items it finds
