"""The registry: every area once, every gap rule with a stable ID, a clause or control that
exists, and a severity."""

from __future__ import annotations

from app.services import registry
from app.services.catalog import content as catalog
from app.services.gaps import SEVERITIES


def test_registry_every_gap_rule_has_a_unique_id_a_real_reference_and_a_severity():
    bundled = catalog.load_bundled()
    refs = {c.id for c in bundled.clauses} | {c.id for c in bundled.controls}
    ids = [r.id for r in registry.GAP_RULES]
    assert len(ids) == len(set(ids)), "a rule ID given twice"
    for rule in registry.GAP_RULES:
        assert rule.title and rule.severity in SEVERITIES, rule
        assert rule.ref in refs, f"{rule.id} cites {rule.ref}, which is no clause or control"
    prefixes = {"CHK", "INV", "RSK", "SOA", "CTX", "DOC", "PPL", "MON", "IAU", "NCR", "MRV"}
    assert {i.split("-")[0] for i in ids} == prefixes


def test_registry_every_area_has_a_sheet_of_its_own_and_every_section_a_builder():
    sheets = [a.sheet for a in registry.AREAS]
    assert len(sheets) == len(set(sheets)) and len(registry.AREA_BY_KIND) == len(sheets)
    for key in registry.PACK_SECTIONS:
        assert callable(registry.pack_builder(key)), key


def test_registry_authority_rules_are_pinned_with_their_clause_and_severity():
    pinned = {(r.id, r.ref, r.severity) for r in registry.GAP_RULES if r.id.startswith("PPL-")}
    assert {
        ("PPL-06", "6.1.3", "major"),  # residual risk accepted
        ("PPL-07", "6.1.4", "minor"),  # impact assessment approved
        ("PPL-08", "6.1.3", "minor"),  # SoA approved
        ("PPL-09", "5.2", "major"),  # AI policy approved
        ("PPL-10", "6.1.1", "minor"),  # risk criteria approved
        ("PPL-11", "6.1.3", "major"),  # treatment plan approved
    } <= pinned
