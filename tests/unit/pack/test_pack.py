"""The Stage 1 pack in both kinds: the submission the certification body gets and the readiness
report the client's management gets, checked with qpdf and poppler's tools (skipped on a laptop
without them, required in CI)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import sqlite3
import subprocess

import pytest

from app.cli import main
from app.services.catalog.content import clause_refs
from app.services.demo import create_demo
from app.services.documents import attachments
from app.services.engagement import approvals, safe_output
from app.services.engagement.approvals import Approval
from app.services.engagement.errors import FileWriteError
from app.services.engagement.file import create_engagement
from app.services.generator import create_large
from app.services.pack import build as pack
from app.services.pack import data as pack_data
from app.services.pack import settings as pack_settings
from app.services.pack.style import Wrapper
from app.services.progress import finish
from app.services.risks import service as risks

_require = None  # the session's require_tool, set by the autouse fixture below


@pytest.fixture(autouse=True, scope="module")
def _tools(external_tool):
    global _require
    _require = external_tool


def tool(name: str, *args: str) -> str:
    found = _require(name)
    return subprocess.run([found, *args], capture_output=True, text=True, check=True).stdout


@functools.cache  # the large pack has thousands of pages: read each once
def text_of(pdf, layout: bool = False) -> str:
    return tool("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")


def pages_of(pdf) -> int:
    return int(re.search(r"Pages:\s+(\d+)", tool("pdfinfo", str(pdf))).group(1))


def write(ef, path, sections=None, paper=None, kind=None) -> pack.Result:
    return finish(pack.export(ef, path, sections, paper, kind))


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """The readiness report (every section: what the pack was before it had two kinds) of the
    demo, of an empty engagement and of the large generated one (5,000 AI systems, 10,000
    impact assessments, 20,000 risks: the bench's); the submission (the default kind) of the
    demo and of the empty one. Each written once for the module."""
    folder = tmp_path_factory.mktemp("packs")
    made = {}
    with create_demo(folder / "demo.aims") as ef:
        made["demo"] = write(ef, folder / "demo.pdf", kind="readiness")
        made["letter"] = write(ef, folder / "letter.pdf", ["scope", "soa"], "letter")
        made["submission"] = write(ef, folder / "submission.pdf")
    with create_engagement(folder / "empty.aims", client="Empty Client Ltd") as ef:
        made["empty"] = write(ef, folder / "empty.pdf", kind="readiness")
        made["empty submission"] = write(ef, folder / "empty-submission.pdf")
    with create_large(folder / "large.aims") as ef:
        made["large"] = write(ef, folder / "large.pdf", kind="readiness")
    return {name: result.path for name, result in made.items()}


def test_pack_says_who_approved_the_criteria_and_that_the_plan_is_not(packs):
    # the demo's criteria were approved, then reworded: the approval does not hold as they stand
    demo = " ".join(text_of(packs["demo"]).split())
    assert "Risk criteria approved by Sarah Whitfield (Chief Executive Officer), " in demo
    assert "but changed since: not approved as they stand." in demo
    assert "Risk treatment plan: not approved by management yet." in demo
    # the title wraps in its cell; with the row's what to do beside it, the text runs the
    # clause column in between
    assert re.search(r"RSK-06 Risk treatment plan not (6\.1\.3 )?approved by management", demo)
    submission = " ".join(text_of(packs["submission"]).split())
    for gap in ("not approved by management", "changed since"):  # readiness report only
        assert gap not in submission


@pytest.mark.parametrize("name", ["demo", "empty", "large", "letter", "submission"])
def test_pack_passes_qpdf_check(packs, name):
    tool("qpdf", "--check", str(packs[name]))  # exits non-zero on a broken file


@pytest.mark.parametrize("name", ["demo", "empty", "large"])
def test_pack_holds_every_section_title(packs, name):
    text = text_of(packs[name])
    for title in pack_settings.SECTIONS.values():
        assert title in text
    assert "Contents" in text and "Page 1 of" in text


def test_pack_demo_shows_sample_data_from_every_area(packs):
    text = text_of(packs["demo"], layout=True)
    assert "Northwind Lending Ltd" in text
    assert "Jordan Avery, Avery Governance Consulting" in text  # the consultant, on the cover
    assert re.search(r"P-4\.3-02 +Scope statement", text)  # the checklist (the title wraps)
    assert re.search(r"AIS-001 +Credit decisioning", text)  # the inventory
    assert re.search(r"IA-0001 +AIS-", text)  # an impact assessment
    assert re.search(r"1 +Rare", text)  # the risk criteria
    assert re.search(r"R-001 +Credit model", text)  # the risk register
    assert re.search(r"A\.10\.4 +.*Excluded", text)  # the SoA, with its decision
    assert "Issued version 1" in text
    assert re.search(r"DI-07 +6\.1\.3 .*Issued SoA, version 1", text)  # a record that is it


def test_pack_outline_lists_every_section(packs):
    outline = json.loads(tool("qpdf", "--json", "--json-key=outlines", str(packs["demo"])))
    titles = [entry["title"] for entry in outline["outlines"]]
    assert titles[:2] == ["Cover", "Contents"]
    for number, title in enumerate(pack_settings.SECTIONS.values(), start=1):
        assert f"{number}  {title}" in titles


def test_pack_contents_give_the_page_of_each_section(packs):
    text = text_of(packs["demo"], layout=True)
    contents = text.split("Contents", 1)[1]
    number = list(pack_settings.SECTIONS).index("soa") + 1  # the last section
    page = int(re.search(rf"{number} +Statement of Applicability +(\d+)", contents).group(1))
    pages = text.split("\f")
    assert re.search(rf"^{number} +Statement of Applicability$", pages[page - 1], re.MULTILINE)


@pytest.mark.parametrize("name", ["demo", "empty", "large", "submission"])
def test_pack_embeds_every_font(packs, name):
    rows = tool("pdffonts", str(packs[name])).splitlines()[2:]
    assert rows, "a pack with text has fonts"
    for row in rows:
        assert "DejaVuSans" in row and row.split()[-5] == "yes", row  # the emb column


def test_pack_page_count_grows_with_the_data(packs):
    assert pages_of(packs["empty"]) < pages_of(packs["demo"]) < pages_of(packs["large"])


def test_pack_letter_pack_has_letter_pages(packs):
    assert "612 x 792 pts (letter)" in tool("pdfinfo", str(packs["letter"]))
    assert "595.276 x 841.89 pts (A4)" in tool("pdfinfo", str(packs["demo"]))


def test_pack_long_register_repeats_its_header_on_every_page(packs):
    pages = text_of(packs["large"], layout=True).split("\f")
    register = [p for p in pages if re.search(r"^R-\d{5} +Generated risk", p, re.MULTILINE)]
    assert len(register) > 3
    assert all(re.search(r"ID +Title +Category", p) for p in register[1:-1])


def test_pack_of_an_empty_engagement_says_what_is_missing(packs):
    text = text_of(packs["empty"])
    assert "No AI system has been recorded" in text
    assert "No scope statement has been recorded" in text
    assert "No risk has been recorded" in text
    assert "Statement of Applicability (draft)" in text
    assert "DRAFT: no version" in text
    assert re.search(r"DI-01 .*Missing", text_of(packs["empty"], layout=True))


@pytest.mark.parametrize("name", ["submission", "empty submission"])
def test_pack_submission_has_no_gap_and_no_readiness_figure(packs, name):
    text = " ".join(text_of(packs[name]).split())
    assert re.search("gap", text, re.IGNORECASE) is None
    assert "Readiness" not in text and "readiness of the checklist" not in text
    assert "Overdue" not in text
    layout = text_of(packs[name], layout=True)
    assert re.search(r"^ *DI-\d+ .*(Missing|Found) *$", layout, re.MULTILINE) is None
    # Percentages only where the client's own records hold them (the demo's "4% of records").
    assert set(re.findall(r"\d+(?:\.\d+)?%", text)) <= {"4%", "5%"}


def test_pack_readiness_report_has_the_gaps_and_readiness_figures(packs, tmp_path):
    text = " ".join(text_of(packs["demo"]).split())
    with create_demo(tmp_path / "demo.aims") as ef:
        readiness = finish(pack_data.load(ef)).readiness
    assert "ISO/IEC 42001 · Readiness report" in text and "Open gaps" in text
    assert f"{readiness:g}%" in text and "readiness of the checklist" in text
    assert "Gaps" in text and "with a gap" in text and "overdue" in text
    assert re.search(r"DI-01 .*Missing", text_of(packs["empty"], layout=True))


def test_pack_submission_has_document_control_audit_dates_and_scope(packs):
    text = text_of(packs["submission"], layout=True)
    assert "ISO/IEC 42001 · Stage 1 submission" in text and "Document control" in text
    assert re.search(r"Version +0\.3", text) and re.search(r"Author +Jordan Avery", text)
    assert re.search(r"Reviewer +Grace Okafor", text)
    assert re.search(r"Approver +Priya Shah", text)
    assert re.search(r"Certification body +Harbourline Assurance", text)
    assert re.search(r"Stage 2 audit date +\d{4}-\d{2}-\d{2}", text)
    assert "Edition" not in text
    assert "Engagement and scope" in text and "Checklist by clause" not in text


def test_pack_submission_version_is_a_dated_draft_until_the_consultant_sets_one(tmp_path):
    with create_engagement(tmp_path / "v.aims", client="Version Ltd") as ef:
        draft = write(ef, tmp_path / "draft.pdf", ["scope"])
        ef.update_details(doc_version="1.0", doc_author="Sam Reviewer")
        final = write(ef, tmp_path / "final.pdf", ["scope"])
    assert re.search(r"Version +Draft of \d{4}-\d{2}-\d{2}", text_of(draft.path, layout=True))
    final_text = text_of(final.path, layout=True)
    assert re.search(r"Version +1\.0\n", final_text)
    assert re.search(r"Author +Sam Reviewer", final_text)


def test_pack_submission_prints_the_implementation_of_an_included_control(tmp_path):
    from app.services.soa import service as soa

    with create_engagement(tmp_path / "impl.aims", client="Impl Ltd") as ef:
        soa.set_values(ef, "decision", {"A.2.2": "included", "A.2.3": "excluded"})
        soa.set_values(ef, "implementation", {"A.2.2": "Policy signed by the board in March"})
        soa.set_values(ef, "implementation", {"A.2.3": "Text kept from before the exclusion"})
        result = write(ef, tmp_path / "impl.pdf", ["soa"])
    text = text_of(result.path)
    assert "Implementation description" in text
    assert "Policy signed by the board in March" in " ".join(text.split())
    assert "Text kept from before" not in text  # an excluded control is not implemented


def test_pack_wide_registers_are_on_landscape_pages(packs):
    info = tool("pdfinfo", "-f", "1", "-l", "99", str(packs["submission"]))
    sizes = re.findall(r"Page +(\d+) size: +([\d.]+) x ([\d.]+)", info)
    pages = text_of(packs["submission"]).split("\f")
    for number, width, height in sizes:
        page = pages[int(number) - 1]
        wide = float(width) > float(height)
        if re.search(r"^\d  (AI system inventory|Risk register|Statement of Applicability)",
                     page, re.MULTILINE):  # fmt: skip
            assert wide, f"page {number} is a wide register on a portrait page"
        if number == "1" or "Contents" in page.splitlines()[:3]:
            assert not wide


def test_pack_kind_refuses_a_section_it_cannot_hold(new_file, tmp_path):
    from app.services.engagement.errors import FieldError

    with pytest.raises(FieldError, match="The Stage 1 submission holds no readiness summary"):
        write(new_file, tmp_path / "x.pdf", ["readiness", "scope"])
    assert not (tmp_path / "x.pdf").exists()


def test_pack_remembered_sections_of_the_other_kind_are_kept():
    chosen = pack_settings.PackSettings(sections=("readiness", "scope", "risks"))
    kept = pack_settings.remembered_sections(chosen, "submission", ["documents", "soa"])
    assert kept == ("readiness", "documents", "soa")
    assert pack_settings.PackSettings(sections=kept).sections_of("submission") == (
        "documents", "soa",
    )  # fmt: skip
    assert pack_settings.PackSettings(sections=("readiness",)).sections_of("submission") == (
        pack_settings.kind_sections("submission")
    )


def test_pack_heat_map_counts_are_white_on_the_dark_cells():
    from app.services.risks import heat_colours
    from app.services.risks.criteria import DEFAULT

    top = heat_colours.band_colour(DEFAULT, DEFAULT.max_score)
    bottom = heat_colours.band_colour(DEFAULT, 1)
    assert heat_colours.text_colour(top) == "#ffffff"
    assert heat_colours.text_colour(bottom) == heat_colours.DARK_TEXT


def test_pack_renders_accents_greek_and_cyrillic_in_the_client_name(tmp_path):
    name = "Zürich Ωmega Ελλάς Москва Société"
    with create_engagement(tmp_path / "intl.aims", client=name) as ef:
        result = write(ef, tmp_path / "intl.pdf", ["scope"])
    assert name in text_of(result.path)
    assert "Helvetica" not in tool("pdffonts", str(result.path))


def test_pack_logo_is_drawn_on_the_cover(tmp_path):
    from PIL import Image

    logo = io.BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 30)).save(logo, "PNG")
    with create_engagement(tmp_path / "logo.aims", client="Logo Ltd") as ef:
        pack_settings.update(ef, logo=logo.getvalue(), accent="#aa2200", confidentiality="Secret")
        result = write(ef, tmp_path / "logo.pdf", ["scope"])
    assert len(tool("pdfimages", "-list", str(result.path)).splitlines()) == 3  # 1 image
    assert "Secret" in text_of(result.path)


def test_pack_remembered_sections_and_paper_are_the_default(tmp_path):
    with create_engagement(tmp_path / "r.aims", client="Remembered Ltd") as ef:
        pack_settings.update(ef, sections=["criteria"], paper="letter")
        result = write(ef, tmp_path / "r.pdf")
    assert result.sections == ("criteria",)
    text = text_of(result.path)
    assert "Risk criteria" in text and "Risk register" not in text
    assert "(letter)" in tool("pdfinfo", str(result.path))


def test_pack_cancelled_leaves_no_file(new_file, tmp_path):
    out = tmp_path / "cancelled.pdf"
    run = pack.export(new_file, out)
    next(run)
    next(run)
    run.close()  # what Cancel does
    assert list(tmp_path.glob("*.pdf*")) == [] and list(tmp_path.glob(".*.partial")) == []


def test_pack_failure_while_writing_leaves_no_file(new_file, tmp_path, monkeypatch):
    out = tmp_path / "broken.pdf"

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_output.os, "replace", broken)
    with pytest.raises(FileWriteError, match="the disk is full. Nothing was changed"):
        write(new_file, out)
    assert list(tmp_path.glob("*.pdf*")) == [] and list(tmp_path.glob(".*.partial")) == []


def test_pack_cli_kind_chooses_the_submission_or_the_readiness_report(demo_file, tmp_path, capsys):
    submission, report = tmp_path / "submission.pdf", tmp_path / "report.pdf"
    assert main(["export-pack", str(demo_file.path), "-o", str(submission)]) == 0
    assert "Wrote the Stage 1 submission to" in capsys.readouterr().out
    args = ["export-pack", str(demo_file.path), "-o", str(report), "--kind", "readiness"]
    assert main(args) == 0
    assert "Wrote the readiness report to" in capsys.readouterr().out
    assert "Readiness summary" in text_of(report) and "Open gaps" in text_of(report)
    assert "Readiness summary" not in text_of(submission)
    assert re.search("gap", text_of(submission), re.IGNORECASE) is None


def test_pack_cli_refuses_an_unknown_kind_or_a_section_the_kind_cannot_hold(
    demo_file, tmp_path, capsys
):
    out = tmp_path / "x.pdf"
    assert main(["export-pack", str(demo_file.path), "-o", str(out), "--kind", "audit"]) == 2
    assert "invalid choice: 'audit'" in capsys.readouterr().err
    args = ["export-pack", str(demo_file.path), "-o", str(out), "--sections", "checklist"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The Stage 1 submission holds no checklist by clause")
    assert not out.exists()


def test_pack_cli_writes_the_chosen_sections_on_letter(demo_file, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    args = ["export-pack", str(demo_file.path), "-o", str(out), "--paper", "letter"]
    assert main([*args, "--sections", "scope,soa"]) == 0
    assert "pages)" in capsys.readouterr().out
    text = text_of(out)
    assert re.search(r"1 +Engagement and scope", text)
    assert re.search(r"2 +Statement of Applicability", text)
    assert "Risk register" not in text
    assert "(letter)" in tool("pdfinfo", str(out))


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing-folder/pack.pdf", "does not exist"),
        ("a-folder", "is a folder"),
    ],
)
def test_pack_cli_unwritable_output_is_one_error_line_and_no_file(
    demo_file, tmp_path, capsys, output, message
):
    (tmp_path / "a-folder").mkdir()
    before = sorted(tmp_path.rglob("*"))
    assert main(["export-pack", str(demo_file.path), "-o", str(tmp_path / output)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert sorted(tmp_path.rglob("*")) == before


def test_pack_cli_refuses_an_unknown_section(demo_file, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["export-pack", str(demo_file.path), "-o", str(out), "--sections", "dash"]) == 2
    assert "No section 'dash'" in capsys.readouterr().err and not out.exists()


def test_pack_documents_index_is_linked_by_hand_never_found_through_text(demo_file, tmp_path):
    # the demo's checklist evidence names a training export, a scope, an objectives file; its
    # register links the AI policy and the methodology: only the links and the records count
    entries = {e.info.id: e for e in finish(pack_data.load(demo_file)).required}
    assert entries["DI-02"].state_text == "DOC-010 AI policy"
    assert entries["DI-05"].state_text == "DOC-021 AI risk management methodology"
    assert entries["DI-07"].state_text.startswith("Issued SoA, version ")
    for unlinked in ("DI-13", "DI-20", "DI-21"):  # named in evidence, never linked
        assert entries[unlinked].state == "missing", unlinked
    path = write(demo_file, tmp_path / "docs.pdf", ["readiness", "documents"], kind="readiness")
    text = " ".join(text_of(path.path).split())
    assert "document control procedure (process evidence) Missing: no document linked Missing" in (
        text
    )
    policy = next(a for a in attachments.list_attachments(demo_file) if a.document_id == "DOC-010")
    assert f"SHA-256{policy.sha256}" in text.replace(" ", "")  # a long hash wraps in its cell
    assert "DOC-05 Mandatory documented information with no document linked" in text


def test_pack_reports_an_attachment_failing_its_check_with_the_document(demo_file, tmp_path):
    with sqlite3.connect(demo_file.path) as conn:
        conn.execute("UPDATE attachment_chunk SET data = X'00' WHERE attachment_id = 1")
    data = finish(pack_data.load(demo_file))
    assert [m.attachment.document_id for m in data.mismatches] == ["DOC-010"]
    path = write(demo_file, tmp_path / "docs.pdf", ["documents"], kind="submission")
    text = " ".join(text_of(path.path).split())
    assert "1 attached file no longer matches the SHA-256 recorded when attached (DOC-04)" in text


def test_pack_approved_criteria_are_the_documented_criteria(new_file, tmp_path):
    # the app's default criteria, never adapted nor approved, are not documented criteria
    entries = finish(pack_data.load(new_file)).required
    assert [e.info.id for e in entries if e.state != "missing"] == []
    version = risks.criteria_version(new_file)
    when = dt.date.today()
    approvals.set_approval(new_file, Approval("risk_criteria", "CEO", "", when, version))
    entries = finish(pack_data.load(new_file)).required
    assert [(e.info.id, e.state_text) for e in entries if e.state != "missing"] == [
        ("DI-04", f"Risk criteria version {version}, approved by CEO, {when.isoformat()}")
    ]
    path = write(new_file, tmp_path / "criteria.pdf", ["criteria"], kind="submission")
    assert f"Risk criteria approved by CEO, {when.isoformat()}." in " ".join(
        text_of(path.path).split()
    )  # an approval that holds is a fact: the submission says it


@pytest.mark.parametrize(
    ("clause", "refs"),
    [
        ("4.3", {"4.3"}),
        ("7.5.2-7.5.3", {"7.5.2", "7.5.3"}),
        ("A.7.2-A.7.6", {"A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6"}),
        ("A.5.2 / A.5.3", {"A.5.2", "A.5.3"}),
    ],
)
def test_documented_info_clause_ranges(clause, refs):
    assert clause_refs(clause) == refs


def test_pack_cell_cuts_long_text_and_says_so():
    wrapper = Wrapper()
    cell = wrapper.cell("word " * 2000, 60, max_lines=5)
    assert cell.count("\n") == 4 and cell.endswith("[…]")
    assert all(wrapper.width(line) <= 60 for line in cell.splitlines())


def test_pack_checklist_shows_a_controls_point_as_its_soa_line(packs):
    text = text_of(packs["demo"], layout=True)
    assert re.search(r"P-A\.8\.4-01 +AI incident communication +Planned", text)
    assert re.search(r"P-A\.10\.3-01 +Supplier AI risk and contracts +Not applicable", text)
    assert "1 not applicable (excluded in the SoA)" in text


def test_pack_readiness_report_lists_the_checklist_rules_with_their_points(packs):
    text = " ".join(text_of(packs["demo"]).split())
    assert "CHK-02 Implemented, but no evidence named" in text
    assert "CHK-03 Open point past its" in text  # the title may wrap beside "What to do"
    assert "P-4.1-04, P-6.1.3-01" in text and "counts as in progress" in text
