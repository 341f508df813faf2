"""The demo's documented information: the documents its checklist evidence names, under the
client's own IDs (DOC-001 the scope statement, DOC-010 the AI policy approved for the board,
DOC-021 the risk methodology, ...), a few with small attached files; one past its review date,
drafts not yet approved, and mandatory entries linked by hand with some still open (the gaps
to show). Runs last: its links name points, controls, systems and risks."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.progress import finish
from app.services.registers import service as register
from app.services.risks.demo import CIO, COMP, CRO, DPO, HDS, HR

CEO = "Sarah Whitfield"  # who approved the risk criteria too (risks/demo.py)


def _documents(today: dt.date) -> list[dict[str, object]]:
    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    def approved(by: str, role: str, ago: int, review: int, **more: object) -> dict[str, object]:
        return {"status": "approved", "approved_by": by, "approver_role": role,
                "approved_on": days(-ago), "effective_date": days(-ago + 2),
                "review_months": 12, "next_review": days(review), **more}  # fmt: skip

    return [
        {"id": "DOC-001", "title": "AIMS scope statement", "kind": "policy", "version": "1.1",
         "author": COMP, "owner": CRO, "classification": "Internal",
         **approved("Executive Risk Committee", "Designated management", 50, 310),
         "location": "Intranet: /AIMS/Scope", "points": "P-4.3-01, P-4.3-02"},
        {"id": "DOC-002", "title": "AIMS document register", "kind": "record", "version": "0.3",
         "author": COMP, "owner": COMP, "status": "draft", "location": "This engagement"},
        {"id": "DOC-004", "title": "AI governance charter", "kind": "policy", "version": "1.0",
         "author": COMP, "owner": CRO, "classification": "Internal",
         **approved("Executive Risk Committee", "Designated management", 420, -55),
         "location": "Intranet: /AIMS/Governance", "points": "P-5.3-01"},
        {"id": "DOC-010", "title": "AI policy", "kind": "policy", "version": "1.0",
         "author": COMP, "owner": CRO, "classification": "Public",
         **approved(CEO, "Chief Executive Officer, for the board", 64, 300),
         "retention": "10 years", "location": "Intranet: /AIMS/Policies",
         "points": "P-5.2-01", "controls": "A.2.2", "ai_policy": True,
         "communicated_to": "All staff and contractors", "communicated_on": days(-55),
         "communicated_how": "Intranet notice and team briefings",
         "available_to_parties": False},  # not yet published to applicants (P-5.2-02)
        {"id": "DOC-021", "title": "AI risk management methodology", "kind": "methodology",
         "version": "1.0", "author": CRO, "owner": CRO, "classification": "Internal",
         **approved(CEO, "Chief Executive Officer", 40, 320), "retention": "10 years",
         "location": "SharePoint: /AIMS/Methods", "points": "P-6.1.1-02, P-6.1.2-01",
         "notes": "The treatment section (5) is still a draft."},
        {"id": "DOC-030", "title": "AI system impact assessment procedure and template",
         "kind": "procedure", "version": "1.0", "author": DPO, "owner": DPO,
         **approved(DPO, "Data Protection Officer, with the CRO", 90, 270),
         "retention": "10 years", "location": "SharePoint: /AIMS/Procedures",
         "points": "P-6.1.4-01", "controls": "A.5.2"},
        {"id": "DOC-040", "title": "AIMS objectives register", "kind": "plan", "version": "0.2",
         "author": COMP, "owner": CRO, "status": "draft", "points": "P-6.2-01"},
        {"id": "DOC-050", "title": "AIMS competence matrix", "kind": "record", "version": "1.0",
         "author": HR, "owner": HR,
         **approved(HR, "Head of People", 30, 335), "retention": "Employment + 6 years"},
        {"id": "DOC-060", "title": "Model lifecycle procedure", "kind": "procedure",
         "version": "0.9", "author": HDS, "owner": HDS, "status": "draft",
         "effective_date": days(-30), "systems": "AIS-001"},  # in use, never approved
        {"id": "DOC-061", "title": "Model validation report: credit scoring v4",
         "kind": "report", "version": "1.0", "author": HDS, "owner": CIO,
         "classification": "Confidential",
         **approved("Model Risk Forum", "Model risk oversight", 21, 344),
         "retention": "Life of the model + 7 years", "systems": "AIS-001",
         "controls": "A.6.2.4", "risks": "R-001"},
        {"id": "DOC-070", "title": "Internal audit programme", "kind": "plan", "version": "0.1",
         "author": COMP, "owner": COMP, "status": "draft"},
    ]  # fmt: skip


# entry -> the documents that satisfy it, as the consultant linked them
_LINKS = {
    "DI-01": ["DOC-001"], "DI-02": ["DOC-010"], "DI-22": ["DOC-010"], "DI-05": ["DOC-021"],
    "DI-06": ["DOC-021"], "DI-09": ["DOC-030"], "DI-25": ["DOC-030"], "DI-10": ["DOC-040"],
    "DI-11": ["DOC-050"], "DI-12": ["DOC-002"], "DI-19": ["DOC-070"], "DI-28": ["DOC-061"],
}  # fmt: skip

_TEXTS = {
    "DOC-010": ("ai-policy-v1.0.txt", "Northwind Lending AI policy, version 1.0 (demo text).\n"),
    "DOC-021": ("ai-risk-methodology-v1.0.txt", "AI risk management methodology (demo).\n"),
    "DOC-061": ("validation-credit-v4.txt", "Validation results of the credit model v4.\n"),
}


def add_documents(ef: EngagementFile) -> None:
    for values in _documents(dt.date.today()):
        register.create(ef, DOCUMENTS, values)
    with tempfile.TemporaryDirectory(prefix="aims-demo-") as folder:
        for doc, (name, text) in _TEXTS.items():
            source = Path(folder) / name
            source.write_text(text, encoding="utf-8")
            finish(attachments.attach(ef, doc, source))
    for entry, docs in _LINKS.items():
        mandatory.set_documents(ef, entry, docs)
