"""The pack's Management review section, read back from the PDF as a reader would
(pdftotext): the last review held with its attendees by role, every expected input, the
decisions and actions; and what it says when no review is held."""

from __future__ import annotations

import subprocess

import pytest

from app.cli import main
from app.services.demo import create_demo
from app.services.engagement.file import create_engagement
from app.services.evaluation.reviews import REVIEWS, TOPICS
from app.services.registers import service as register


@pytest.fixture(autouse=True)
def pdftotext(external_tool):
    return external_tool("pdftotext")


def _text(pdf) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())  # wrapped cells read as one line


def test_the_last_review_held_in_the_readiness_report(tmp_path, capsys):
    create_demo(tmp_path / "demo.aims").close()
    pdf = tmp_path / "pack.pdf"
    args = ["export-pack", str(tmp_path / "demo.aims"), "-o", str(pdf), "--kind", "readiness"]
    assert main([*args, "--sections", "readiness,review"]) == 0
    text = _text(pdf)
    section = text[text.rindex("2 Management review") :]
    assert "MR-01 First AIMS management review" in section
    assert "Reviews held 1" in section
    # the people demo's board member and AIMS lead, by the roles they held that day
    assert "PER-001 Sarah Whitfield Top management Yes" in section
    assert "PER-002 Grace Okafor AIMS lead No" in section
    for label in TOPICS.values():
        assert label.split()[0] in section
    assert section.count("Not covered") == 1  # the one input the meeting did not reach
    assert "MRV-02 An expected input has no notes: Opportunities to improve" in section
    assert "Bring the vendor AI of HR and marketing into the AIMS scope." in section
    assert "3 actions decided at this review." in section and "MRA-002" in section
    assert "MR-02" not in section  # the planned review is not the last held
    # the open gaps list the review rules found; those that find nothing are named after them
    assert "MRV-04 Past its due date" in text and "MRV-03" in text


def test_no_review_held_says_so(tmp_path):
    ef = create_engagement(tmp_path / "client.aims", client="Acme Analytics GmbH", size="small")
    register.create(ef, REVIEWS, {"title": "Planned", "held_on": "2099-01-01"})
    ef.close()
    pdf = tmp_path / "pack.pdf"
    path = str(tmp_path / "client.aims")
    assert main(["export-pack", path, "-o", str(pdf), "--kind", "readiness",
                 "--sections", "readiness,review"]) == 0  # fmt: skip
    text = _text(pdf)
    assert "No management review has been held yet (1 review planned)." in text
    assert "Management MRV-01 No management review" in text  # in the open gaps
