"""The demo's internal audit: a programme with AUD-001 done, whose lines AUD-001-002 and
AUD-001-005 hold the minor and the major nonconformity the nonconformity demo raises, and the
gaps left on purpose (the AI-specific clause 8.3 not audited, the programme's coverage, the
CRO auditing the risk assessment she owns)."""

from __future__ import annotations

from app.services.demo import create_demo
from app.services.evaluation import audit_rules, audits
from app.services.evaluation.audits import AUDITS, LINES
from app.services.registers import service as register


def test_demo_audit_programme_with_one_audit_done_and_each_rule_it_can_show(tmp_path):
    ef = create_demo(tmp_path / "demo.aims")
    try:
        done = register.get_item(ef, AUDITS, "AUD-001").values
        assert done["status"] == "done" and done["actual_on"] is not None
        lines = audits.lines_of(ef, "AUD-001")
        assert len(lines) >= 5
        results = {i.id: i.values["result"] for i in lines}
        assert results["AUD-001-002"] == "minor" and results["AUD-001-005"] == "major"
        assert register.get_item(ef, LINES, "AUD-001-005").values["ref"] == "P-8.4-02"
        found = audit_rules.findings(ef)
        # IAU-01 cannot fire beside an audit done before Stage 1; the others do
        assert not found.no_audit_before_stage1
        assert found.ai_missing == ("8.3",)
        assert found.not_covered == {"PRG-01": ("4", "8.3", "9.2", "10.2", "A.6.2.6", "A.7.4")}
        assert found.not_independent == {"AUD-001": ("AUD-001-007", "AUD-001-008")}
        assert found.owner_of_line["AUD-001-007"] == "Priya Shah"
    finally:
        ef.close()
