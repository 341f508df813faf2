"""The demo's context: a realistic set for the demo lender, with one party requirement still
undecided and climate change not yet considered (two gaps to show). Runs after the inventory
and the risks, which its links name."""

from __future__ import annotations

import datetime as dt

from app.services.context import registers as context
from app.services.engagement.file import EngagementFile
from app.services.registers import service as register
from app.services.risks.demo import CIO, COMP, CRO, DPO, HDS, HR

_ISSUES = [
    ("EU AI Act obligations for credit scoring", "external", "legal",
     "Creditworthiness scoring of natural persons is high risk under the EU AI Act; the "
     "Dublin branch brings the lender into its scope.",
     "Impact assessments, technical documentation and human oversight must be ready before "
     "the high-risk obligations apply.", "Regulatory horizon scan", "R-001, R-002", COMP),
    ("Interest-rate changes shift applicant behaviour", "external", "market",
     "Rate rises change who applies and how they repay.",
     "Model drift: monitoring and retraining triggers matter more.", "Treasury briefing",
     "R-004", HDS),
    ("Model knowledge held by two data scientists", "internal", "organizational",
     "The credit and affordability models depend on two people.",
     "Continuity of monitoring and of answers to auditors is at risk.", "HR review", "", HDS),
    ("Vendor AI in bought HR and marketing tools", "internal", "technological",
     "AI features arrive in bought tools with updates, often unannounced.",
     "Third-party AI must be found, inventoried and controlled.", "Procurement review", "",
     CIO),
    ("Public concern about automated credit decisions", "external", "societal",
     "Press and consumer groups question automated declines.",
     "Explanations and fairness results should be ready to show.", "Media monitoring",
     "R-002", CRO),
]  # fmt: skip
_PARTIES = [
    ("Loan applicants and borrowers", "community", "The people the credit model decides about."),
    ("Financial Conduct Authority", "regulator", "Supervises consumer credit in the UK."),
    ("Central Bank of Ireland", "regulator", "Supervises the Dublin branch."),
    ("Broker partners", "partner", "Bring applications through the affordability checks."),
    ("Staff using AI assistants", "employee", "Customer service and underwriting teams."),
]
_REQUIREMENTS = [
    ("An explanation of a declined application", 0, "yes",
     "Reason codes in every decline letter; the template is reviewed by Compliance."),
    ("Fair treatment of thin-file applicants", 0, "partly",
     "Parity report each quarter; a referral band is being added."),
    ("Evidence of model risk management", 1, "yes", "Model risk policy and annual validation."),
    ("Notice to the supervisor of material model changes", 2, "undecided", ""),
    ("Stable affordability decisions for brokers", 3, "partly",
     "Drift alerts on the income estimator; no service level yet."),
    ("Training before using the assistants", 4, "yes", "AI awareness course, yearly."),
]  # fmt: skip
_OBLIGATIONS = [
    ("EU AI Act (Regulation (EU) 2024/1689)", "legal", "European Union", "AIS-001, AIS-009",
     COMP, "assessing"),
    ("UK GDPR and EU GDPR: automated decisions (Article 22)", "legal", "UK and EU",
     "AIS-001, AIS-004", DPO, "addressed"),
    ("FCA Consumer Duty", "regulatory", "United Kingdom", "AIS-001, AIS-003, AIS-005", CRO,
     "assessing"),
    ("Equality Act 2010: recruitment", "legal", "United Kingdom", "AIS-004", HR, "identified"),
    ("Broker agreements: decision turnaround clauses", "contractual", "Broker partners",
     "AIS-009", "", "identified"),
]  # fmt: skip


def add_context(ef: EngagementFile) -> None:
    review = dt.date.today() + dt.timedelta(days=180)
    for title, direction, category, description, effect, source, risks, owner in _ISSUES:
        register.create(ef, context.ISSUES, {
            "title": title, "direction": direction, "category": category,
            "description": description, "effect": effect, "source": source, "risks": risks,
            "owner": owner, "review_date": review,
        })  # fmt: skip
    parties = [
        register.create(ef, context.PARTIES, {"name": n, "party_type": t, "description": d})
        for n, t, d in _PARTIES
    ]
    for text, party, addressed, how in _REQUIREMENTS:
        register.create(ef, context.REQUIREMENTS, {
            "requirement": text, "party": parties[party], "addressed": addressed, "how": how,
        })  # fmt: skip
    for title, kind, jurisdiction, systems, owner, status in _OBLIGATIONS:
        register.create(ef, context.OBLIGATIONS, {
            "title": title, "kind": kind, "jurisdiction": jurisdiction, "systems": systems,
            "owner": owner, "status": status,
        })  # fmt: skip
