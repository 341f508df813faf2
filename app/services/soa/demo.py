"""The demo client's Statement of Applicability: mostly decided, issued once, then edited, with
a few deliberate problems so every rule shows (an exclusion with no justification, undecided
controls, a control the risk register selects but the SoA excludes, an included control
without owner, an implemented one without evidence)."""

from __future__ import annotations

import datetime as dt

from app.services.engagement.file import EngagementFile
from app.services.soa import service as soa

_OWNERS = {
    "A.2": "Priya Shah (Chief Risk Officer)",
    "A.3": "Grace Okafor (Compliance Manager)",
    "A.4": "Marcus Lee (CIO)",
    "A.5": "Elena Rossi (Data Protection Officer)",
    "A.6": "Tom Becker (Head of Data Science)",
    "A.7": "Tom Becker (Head of Data Science)",
    "A.8": "Grace Okafor (Compliance Manager)",
    "A.9": "Marcus Lee (CIO)",
    "A.10": "Marcus Lee (CIO)",
}
# How Northwind implements each objective's controls, as its consultant would describe it.
_HOW = {
    "A.2": "The AI policy approved by the board in 2026, reviewed yearly by the risk committee.",
    "A.3": "Roles named in the AI governance charter; concerns go to the ethics mailbox.",
    "A.4": "Datasets, models, compute and people recorded per AI system in the inventory.",
    "A.5": "An impact assessment per system before go-live and after each significant change.",
    "A.6": "Model lifecycle procedure: requirements, validation sign-off and release gates.",
    "A.7": "Data sheets per training set with provenance, quality checks and bias tests.",
    "A.8": "Plain-language notices to applicants and a route to ask for a human review.",
    "A.9": "Use rules per system, monitored by the model risk team each quarter.",
    "A.10": "Vendor due diligence questionnaire and AI clauses in supplier contracts.",
}
_EXCLUDED = {"A.10.4": "Northwind does not provide AI systems to customers or partners."}
_UNDECIDED = ("A.4.4", "A.7.6")


def add_soa(ef: EngagementFile) -> None:
    today = dt.date.today()
    fields: dict[str, dict[str, object]] = {name: {} for name in soa.FIELDS}
    for n, control in enumerate(ef.catalog.controls):
        cid = control.id
        if cid in _UNDECIDED:
            continue
        if cid in _EXCLUDED:
            fields["decision"][cid] = "excluded"
            fields["justification"][cid] = _EXCLUDED[cid]
            continue
        fields["decision"][cid] = "included"
        fields["reason_risk_treatment"][cid] = control.objective in ("A.5", "A.6", "A.7", "A.9")
        fields["reason_legal"][cid] = control.objective in ("A.5", "A.8")
        fields["reason_business"][cid] = control.objective in ("A.2", "A.3", "A.4", "A.10")
        fields["reason_text"][cid] = "Needed for the lending AI systems in scope."
        fields["owner"][cid] = _OWNERS[control.objective]
        status = ("implemented", "partial", "planned", "not_started")[n % 4]
        fields["status"][cid] = status
        if status != "not_started":
            fields["evidence"][cid] = f"AIMS-{100 + n} procedure"
        if status in ("implemented", "partial"):
            fields["implementation"][cid] = _HOW[control.objective]
        if status != "implemented":
            fields["target_date"][cid] = today + dt.timedelta(days=30 + 7 * n)
    for name, values in fields.items():
        if values:
            soa.set_values(ef, name, values)
    soa.issue(ef, "Executive Risk Committee", today - dt.timedelta(days=30))
    # Edits since the issue, with the problems an auditor will find.
    soa.set_values(ef, "decision", {"A.8.3": "excluded", "A.10.3": "excluded"})
    soa.set_values(ef, "status", {"A.8.3": "not_started", "A.10.3": "not_started"})
    soa.set_values(ef, "target_date", {"A.8.3": None, "A.10.3": None})
    soa.set_values(ef, "justification", {"A.10.3": "Vendors manage their own AI."})
    soa.set_values(ef, "owner", {"A.3.3": ""})
    soa.set_values(ef, "evidence", {"A.5.2": ""})
    soa.set_values(ef, "status", {"A.5.2": "implemented"})
