"""The demo's documented information: an AI policy approved by the board, the risk
methodology, the impact assessment procedure and a few records, with small attached files;
one document past its review date, and mandatory entries linked by hand with some still open
(the gaps to show). Runs last: its links name points, controls, systems and risks."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.progress import finish
from app.services.registers import service as register
from app.services.risks.demo import CIO, COMP, CRO, DPO

_CEO = "Dana Whitfield"


def _documents(today: dt.date) -> list[dict[str, object]]:
    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    return [
        {"title": "AI policy", "kind": "policy", "version": "1.0", "author": COMP,
         "owner": CRO, "classification": "Public", "status": "approved",
         "effective_date": days(-60), "approved_by": _CEO,
         "approver_role": "Chief Executive, for the board", "approved_on": days(-64),
         "review_months": 12, "next_review": days(300), "retention": "10 years",
         "location": "SharePoint: /AIMS/Policies", "points": "P-5.2-01", "controls": "A.2.2",
         "ai_policy": True, "communicated_to": "All staff and contractors",
         "communicated_on": days(-55), "communicated_how": "Intranet notice and team briefings",
         "available_to_parties": True},
        {"title": "AI risk management methodology", "kind": "methodology", "version": "1.1",
         "author": CRO, "owner": CRO, "classification": "Internal", "status": "approved",
         "effective_date": days(-40), "approved_by": "Risk Committee",
         "approver_role": "Designated management (ToR 4.2)", "approved_on": days(-42),
         "review_months": 12, "next_review": days(320), "retention": "10 years",
         "location": "SharePoint: /AIMS/Methods", "risks": "R-001, R-002"},
        {"title": "AI system impact assessment procedure", "kind": "procedure",
         "version": "0.9", "author": DPO, "owner": DPO, "classification": "Internal",
         "status": "draft", "review_months": 12, "retention": "10 years",
         "location": "SharePoint: /AIMS/Procedures", "systems": "AIS-001"},
        {"title": "Document control procedure", "kind": "procedure", "version": "2.3",
         "author": COMP, "owner": COMP, "classification": "Internal", "status": "approved",
         "effective_date": days(-500), "approved_by": "Grace Okafor",
         "approver_role": "Compliance Manager", "approved_on": days(-505),
         "review_months": 12, "next_review": days(-140), "retention": "Until superseded",
         "location": "QMS: DOC-CTRL-01"},
        {"title": "Model validation report: credit scoring v4", "kind": "report",
         "version": "1.0", "author": CIO, "owner": CIO, "classification": "Confidential",
         "status": "approved", "effective_date": days(-20), "approved_by": "Model Risk Forum",
         "approver_role": "Model risk oversight", "approved_on": days(-21),
         "retention": "Life of the model + 7 years", "systems": "AIS-001",
         "controls": "A.6.2.4"},
    ]  # fmt: skip


# entry -> the documents (by their place above) that satisfy it
_LINKS = {"DI-02": [0], "DI-22": [0], "DI-05": [1], "DI-06": [1], "DI-13": [3]}

_TEXTS = {
    0: ("ai-policy-v1.0.txt", "Northwind Lending AI policy, version 1.0 (demo text).\n"),
    1: ("ai-risk-methodology-v1.1.txt", "AI risk management methodology (demo text).\n"),
    4: ("validation-credit-v4.txt", "Validation results of the credit model v4 (demo).\n"),
}


def add_documents(ef: EngagementFile) -> None:
    created = [register.create(ef, DOCUMENTS, values) for values in _documents(dt.date.today())]
    with tempfile.TemporaryDirectory(prefix="aims-demo-") as folder:
        for index, (name, text) in _TEXTS.items():
            source = Path(folder) / name
            source.write_text(text, encoding="utf-8")
            finish(attachments.attach(ef, created[index], source))
    for entry, places in _LINKS.items():
        mandatory.set_documents(ef, entry, [created[i] for i in places])
