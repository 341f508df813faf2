"""A realistic fictional client, so a consultant (and every screenshot) sees a lived-in file.

Deterministic and hand-written: every point has the state its notes describe; dates are
relative to today so the demo never looks stale."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from app.services.clauses import requirements
from app.services.context.demo import add_context
from app.services.documents.demo import add_documents
from app.services.engagement.file import EngagementFile, create_engagement
from app.services.evaluation import demo as evaluation
from app.services.inventory.demo import add_inventory
from app.services.people.demo import add_people
from app.services.readiness import plan
from app.services.risks.demo import add_risks
from app.services.soa.demo import add_soa

CLIENT = "Northwind Lending Ltd"
SCOPE = (
    "AI systems used in consumer lending at Northwind Lending Ltd (UK and Ireland): credit "
    "decisioning, fraud detection, the customer service assistant, and AI features of the "
    "HR and marketing tools bought from vendors. Head office in Leeds and the Dublin branch."
)
OWNERS = (
    "Priya Shah (Chief Risk Officer)",
    "Tom Becker (Head of Data Science)",
    "Elena Rossi (Data Protection Officer)",
    "Marcus Lee (CIO)",
    "Anna Kowalski (HR Director)",
    "Grace Okafor (Compliance Manager)",
)
_P, _T, _E, _M, _A, _G = OWNERS
# The checklist as Northwind's consultant left it, point by point: status, owner, due date (days
# from the day the demo is made), notes and evidence. Written by hand so it tells one story: a
# plan is never ahead of its objectives, a point is implemented only where the notes agree and,
# where it is, the evidence names the document that shows it. Two gaps are left on purpose: an
# implemented point with no evidence named (P-5.3-02), open points past their due date
# (P-4.1-04, P-6.1.3-01), and points nobody owns (P-9.3.3-02, P-10.1-01, P-10.1-02). A date in
# "{d-30}" is that many days before the demo is made.
_DONE, _STARTED, _OPEN = "implemented", "in_progress", "not_started"
_CHECKLIST: dict[str, tuple[str, str, int | None, str, str]] = {
    "P-4.1-01": (_DONE, _G, None, "Reviewed in the context workshop; AI regulation, AI vendors "
                 "and public trust in AI lending added.",
                 "DOC-012 Context and issues register v1.2"),
    "P-4.1-02": (_DONE, _G, None, "Each issue is linked to the risks it raises.",
                 "DOC-012 Context and issues register v1.2, impact column"),
    "P-4.1-03": (_STARTED, _T, 14, "Roles recorded for the in-house systems; the HR screening "
                 "tool bought from a vendor is still to classify.",
                 "AI system inventory, role column (draft)"),
    "P-4.1-04": (_OPEN, _G, -10, "Raised in the context workshop; no decision yet.", ""),
    "P-4.2-01": (_DONE, _G, None, "Regulators (FCA, Central Bank of Ireland), applicants, staff, "
                 "investors and the two AI vendors.", "DOC-013 Interested parties register v1.0"),
    "P-4.2-02": (_STARTED, _G, 30, "Some requirements still undecided; to settle with the CRO.",
                 "DOC-013 Interested parties register v1.0, decision column"),
    "P-4.2-03": (_OPEN, _G, 45, "", ""),
    "P-4.3-01": (_DONE, _P, None, "Lending AI in the UK and Ireland, and the vendor AI of the HR "
                 "and marketing tools.", "DOC-001 AIMS scope statement v1.1, section 2"),
    "P-4.3-02": (_DONE, _P, None, "Approved by the Executive Risk Committee, on the intranet.",
                 "DOC-001 AIMS scope statement v1.1, approval page"),
    "P-4.3-03": (_STARTED, _T, 20, "Built from the IT asset list and a staff survey; two "
                 "marketing tools still to confirm.", "AI system inventory (AIMS Prep export)"),
    "P-4.4-01": (_STARTED, _G, 60, "Process map drafted; owners of monitoring and internal audit "
                 "not confirmed.", "DOC-003 AIMS process map v0.4 (draft)"),
    "P-5.1-01": (_STARTED, _P, 30, "The board approved the AIMS budget; the AI objectives go to "
                 "the board next month.", "Board minutes {d-60}, item 6 (AIMS budget)"),
    "P-5.1-02": (_STARTED, _P, 45, "CEO message on responsible AI sent; a town hall is planned.",
                 "CEO all-staff e-mail on responsible AI, {d-40}"),
    "P-5.1-03": (_OPEN, _P, 90, "Executive briefing to be held before Stage 1.", ""),
    "P-5.2-01": (_DONE, _P, None, "Covers building and buying AI; each statement maps to the "
                 "lending use cases.", "DOC-010 AI policy v1.0"),
    "P-5.2-02": (_STARTED, _P, 21, "Approved by the Executive Risk Committee; not yet published "
                 "to staff.", "Executive Risk Committee minutes {d-30}, item 3 (AI policy)"),
    "P-5.3-01": (_DONE, _G, None, "Roles announced on the intranet.",
                 "DOC-004 AI governance charter v1.0, RACI"),
    "P-5.3-02": (_DONE, _P, None, "The Compliance Manager leads the AIMS and reports to the CRO "
                 "every month.", ""),
    "P-6.1.1-01": (_DONE, _P, None, "Kept in AIMS Prep and exported for the risk committee.",
                   "DOC-020 AI risk and opportunity register (AIMS Prep export)"),
    "P-6.1.1-02": (_STARTED, _P, 14, "Approved by the CEO at the Executive Risk Committee; "
                   "the likelihood scale was reworded since and goes back for approval.",
                   "DOC-021 AI risk methodology v1.0, section 3 (criteria)"),
    "P-6.1.1-03": (_STARTED, _G, 30, "Actions on risks tracked in the treatment plan; none yet "
                   "on opportunities.", "Treatment plan (AIMS Prep export)"),
    "P-6.1.2-01": (_DONE, _P, None, "Two assessors rated the same three risks alike.",
                   "DOC-021 AI risk methodology v1.0, section 4 (assessment)"),
    "P-6.1.2-02": (_STARTED, _T, 30, "Fairness and explainability categories in use; societal "
                   "harm still to assess.", "DOC-020 AI risk register, harm categories"),
    "P-6.1.3-01": (_STARTED, _P, -5, "The plan covers the credit model; fraud and chatbot "
                   "actions still have no dates.", "Treatment plan (AIMS Prep export)"),
    "P-6.1.3-02": (_OPEN, _P, 40, "Waits for the plan; the Executive Risk Committee is the "
                   "designated approver.", ""),
    "P-6.1.3-03": (_STARTED, _G, 20, "Version 1 issued; undecided controls and two exclusions "
                   "under review.", "Statement of Applicability v1 (AIMS Prep)"),
    "P-6.1.3-04": (_OPEN, _M, 45, "ISO 27001 access and logging controls to be listed as "
                   "additional controls.", ""),
    "P-6.1.3-05": (_STARTED, _P, 30, "Treatment section of the methodology drafted.",
                   "DOC-021 AI risk methodology v1.0, section 5 (draft)"),
    "P-6.1.4-01": (_DONE, _E, None, "Approved by the DPO and the CRO.",
                   "DOC-030 AI system impact assessment procedure v1.0 and template"),
    "P-6.1.4-02": (_STARTED, _E, 30, "The chatbot's assessment has no misuse section yet.",
                   "Impact assessments (AIMS Prep)"),
    "P-6.1.4-03": (_OPEN, _E, 60, "", ""),
    "P-6.2-01": (_STARTED, _P, 30, "Four objectives drafted with KPIs; targets to agree.",
                 "DOC-040 AIMS objectives register (draft)"),
    "P-6.2-02": (_OPEN, _P, 60, "Plans follow once the objectives are agreed.", ""),
    "P-6.3-01": (_OPEN, _G, 75, "", ""),
    "P-7.1-01": (_DONE, _M, None, "Budget and two full-time roles approved.",
                 "Board minutes {d-60}, item 6 (AIMS budget and staffing)"),
    "P-7.2-01": (_DONE, _A, None, "Needs set for each AIMS role.",
                 "DOC-050 AIMS competence matrix v1.0"),
    "P-7.2-02": (_STARTED, _A, 30, "Training records in the LMS; CVs of the model risk team "
                 "not yet filed.", "LMS training records export, {d-20}"),
    "P-7.2-03": (_OPEN, _A, 45, "Only attendance is recorded, not what was learnt.", ""),
    "P-7.3-01": (_STARTED, _A, 30, "AI awareness module live; 60% of staff have completed it.",
                 "LMS completion report of the AI awareness module, {d-7}"),
    "P-7.4-01": (_OPEN, _G, 60, "", ""),
    "P-7.5.1-01": (_STARTED, _G, 30, "Started from the ISMS document register.",
                   "DOC-002 AIMS document register (draft)"),
    "P-7.5.2-01": (_DONE, _G, None, "Reused from the ISO 27001 system.",
                   "ISMS document control procedure DCP-01 v3.2"),
    "P-7.5.3-01": (_DONE, _G, None, "Reused from the ISO 27001 system.",
                   "ISMS document control procedure DCP-01 v3.2, retention schedule RS-04"),
    "P-8.1-01": (_STARTED, _T, 45, "The model lifecycle procedure is followed for the credit "
                 "model only.", "DOC-060 Model lifecycle procedure v0.9"),
    "P-8.1-02": (_OPEN, _M, 60, "Vendor AI (HR screening, marketing copy) not yet under "
                 "supplier controls.", ""),
    "P-8.2-01": (_STARTED, _P, 30, "Yearly cycle agreed; the change triggers are not written.",
                 "DOC-021 AI risk methodology v1.0, section 6 (review cycle)"),
    "P-8.2-02": (_DONE, _P, None, "Results kept per risk, with the date assessed.",
                 "AI risk register (AIMS Prep export)"),
    "P-8.3-01": (_STARTED, _P, 60, "Credit model actions under way.",
                 "Treatment plan (AIMS Prep export)"),
    "P-8.3-02": (_OPEN, _P, 90, "", ""),
    "P-8.4-01": (_STARTED, _E, 30, "The credit model was assessed before go-live, the fraud "
                 "model only after.", "Impact assessments (AIMS Prep)"),
    "P-8.4-02": (_STARTED, _E, 45, "The vendor HR screening tool has no assessment yet.",
                 "AI system inventory with its impact assessments (AIMS Prep)"),
    "P-8.4-03": (_STARTED, _E, 45, "Reports kept; no retention period set yet.",
                 "Impact assessment reports, SharePoint /AIMS/Impact"),
    "P-9.1-01": (_STARTED, _T, 45, "KPIs defined for model performance, none yet for the AIMS "
                 "itself.", "DOC-041 Measurement plan (draft)"),
    "P-9.1-02": (_OPEN, _T, 90, "", ""),
    "P-9.1-03": (_OPEN, _P, 100, "", ""),
    "P-9.2.1-01": (_STARTED, _G, 30, "The first AIMS internal audit is booked before Stage 1.",
                   "Internal audit schedule (draft)"),
    "P-9.2.2-01": (_STARTED, _G, 30, "Drafted from the ISMS audit programme.",
                   "DOC-070 Internal audit programme (draft)"),
    "P-9.2.2-02": (_OPEN, _G, 100, "No AIMS audit held yet.", ""),
    "P-9.2.2-03": (_OPEN, _G, 30, "The ISMS audit checklist does not cover AI yet.", ""),
    "P-9.2.2-04": (_OPEN, _G, 30, "", ""),
    "P-9.3.1-01": (_OPEN, _P, 100, "The first management review is planned before Stage 1.", ""),
    "P-9.3.2-01": (_OPEN, _P, 100, "", ""),
    "P-9.3.2-02": (_OPEN, _P, 100, "", ""),
    "P-9.3.3-01": (_OPEN, _P, 110, "", ""),
    "P-9.3.3-02": (_OPEN, "", None, "", ""),
    "P-10.1-01": (_OPEN, "", None, "", ""),
    "P-10.1-02": (_OPEN, "", None, "", ""),
    "P-10.1-03": (_STARTED, _T, 60, "Incident reviews of the fraud model held; lessons not yet "
                  "logged.", "Fraud model incident review, {d-45}"),
    "P-10.2-01": (_STARTED, _G, 45, "The ISMS nonconformity process is used; AI incidents do not "
                  "reach it yet.", "ISMS nonconformity procedure NCP-02 v2.0"),
    "P-10.2-02": (_OPEN, _G, 60, "", ""),
    "P-10.2-03": (_OPEN, _G, 60, "", ""),
    "P-10.2-04": (_OPEN, _G, 60, "Engineering tracks AI incidents in Jira, apart from the "
                  "nonconformity log.", ""),
}  # fmt: skip
# A control's point takes its status, and its evidence, from the control's SoA line (add_soa);
# the point only says who answers for it.
_CONTROL_OWNERS = {
    "A.3": _G, "A.5": _E, "A.6": _T, "A.7": _T, "A.8": _G, "A.9": _M, "A.10": _M,
}  # fmt: skip


def _dated(text: str, today: dt.date) -> str:
    """'{d-30}' in a demo text is the date 30 days before today."""
    return re.sub(
        r"\{d-(\d+)\}", lambda m: (today - dt.timedelta(days=int(m[1]))).isoformat(), text
    )


def add_checklist(ef: EngagementFile) -> None:
    today = dt.date.today()
    fields: dict[str, dict[str, object]] = {f: {} for f in requirements.FIELDS}
    for point in requirements.list_points(ef):
        if point.control_id:
            owner = _CONTROL_OWNERS.get(ef.catalog.top_clause(point.ref), "")
            if owner:
                fields["owner"][point.id] = owner
            continue
        state = _CHECKLIST.get(point.id)
        if state is None:  # a point a later catalog adds starts untouched
            continue
        status, owner, due, notes, evidence = state
        if status != _OPEN:
            fields["status"][point.id] = status
        if owner:
            fields["owner"][point.id] = owner
        if due is not None:
            fields["due_date"][point.id] = today + dt.timedelta(days=due)
        if notes:
            fields["notes"][point.id] = notes
        if evidence:
            fields["evidence"][point.id] = _dated(evidence, today)
    for field, values in fields.items():
        if values:
            requirements.set_values(ef, field, values)


def create_demo(path: Path | str, actor: str | None = None) -> EngagementFile:
    today = dt.date.today()
    ef = create_engagement(
        path,
        client=CLIENT,
        size="mid",
        iso27001=True,
        scope_statement=SCOPE,
        consultant="Jordan Avery, Avery Governance Consulting",
        stage1_date=today + dt.timedelta(days=120),
        actor=actor,
        stage2_date=today + dt.timedelta(days=180),
        certification_body="Harbourline Assurance (fictional)",
        doc_version="0.3",
        doc_author="Jordan Avery",
        doc_reviewer="Grace Okafor (Compliance Manager)",
        doc_approver="Priya Shah (Chief Risk Officer)",
    )
    add_checklist(ef)
    add_inventory(ef)
    add_risks(ef)
    add_soa(ef)
    add_context(ef)
    add_documents(ef)
    add_people(ef)
    evaluation.objectives(ef)
    evaluation.audits(ef)
    evaluation.nonconformities(ef)
    evaluation.reviews(ef)
    add_plan(ef, today)
    return ef


def add_plan(ef: EngagementFile, today: dt.date) -> None:
    """Mid-way: the gap assessment was done when the AIMS began, the implementation is
    planned to end before the internal audit's follow-up."""
    started = ef.details.aims_started_on or today
    plan.set_milestone(ef, "gap_assessment", done_on=started + dt.timedelta(days=20))
    plan.set_milestone(ef, "implementation", planned_on=today + dt.timedelta(days=45))
