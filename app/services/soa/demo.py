"""The demo client's Statement of Applicability: complete when issued, then edited, with a few
deliberate problems so every rule shows (an exclusion with no justification, undecided
controls, a control the risk register selects but the SoA excludes, an included control
without owner or without reason, an implemented one without evidence, an excluded one marked
implemented, risk treatment ticked where no risk selects the control and missing where one
does, one reason copied down many lines), and two controls beyond Annex A."""

from __future__ import annotations

import datetime as dt

from app.services.engagement.file import EngagementFile
from app.services.soa import additional
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
    "A.2": "The AI policy approved by the board, reviewed yearly by the risk committee.",
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
_REOPENED = ("A.4.4", "A.7.6")  # decided in the issued version, reopened since
# Why each objective's controls are in, as Northwind wrote it; the first A.6 lines carry one
# text copied down the sheet (the "same reason on N controls" hint).
_WHY = {
    "A.2": "The board asked for an AI policy covering the lending systems",
    "A.3": "Accountability for AI decisions is required by the lending regulator",
    "A.4": "Resources of each AI system must be known to manage its risks",
    "A.5": "Consumer credit decisions affect applicants",
    "A.7": "Models are trained on applicant and bureau data",
    "A.8": "Applicants have a right to be told how decisions are made",
    "A.9": "Staff must use the AI systems only as intended",
    "A.10": "Several AI systems are bought from vendors",
}
_COPIED = "Required by the AI policy."
# controls beyond Annex A the client keeps: (ID, title, source)
_ADDITIONAL = (
    ("27001-A.5.15", "Access control to models and training data", "ISO/IEC 27001:2022 A.5.15"),
    ("NW-07", "Model change board approves every release", "Northwind AI policy, section 7"),
)


def add_soa(ef: EngagementFile) -> None:
    """Every line decided and agreeing with the risk register when the version is issued (a
    month ago); the edits since bring the problems an auditor will find."""
    today = dt.date.today()
    selected = soa.risks_by_control(ef)
    for control_id, title, source in _ADDITIONAL:
        additional.add(ef, {"id": control_id, "title": title, "source": source})
    lines = soa.list_lines(ef)
    copied = [x.control_id for x in lines if x.objective == "A.6"][: soa.SAME_REASON_FROM]
    fields: dict[str, dict[str, object]] = {name: {} for name in soa.FIELDS}
    for n, line in enumerate(lines):
        cid, objective = line.control_id, line.objective
        if cid in _EXCLUDED and cid not in selected:
            fields["decision"][cid] = "excluded"
            fields["justification"][cid] = _EXCLUDED[cid]
            continue
        fields["decision"][cid] = "included"
        fields["reason_risk_treatment"][cid] = cid in selected
        fields["reason_legal"][cid] = objective in ("A.3", "A.5", "A.8")
        fields["reason_business"][cid] = objective in ("A.2", "A.4", "A.10", soa.ADDITIONAL)
        fields["reason_text"][cid] = (
            _COPIED
            if cid in copied
            else f"{_WHY.get(objective, 'Northwind keeps this control of its own')} "
            f"(AIMS manual, {cid})."
        )
        fields["owner"][cid] = _OWNERS.get(objective, "Marcus Lee (CIO)")
        status = ("implemented", "partial", "planned", "not_started")[n % 4]
        fields["status"][cid] = status
        if status != "not_started":
            fields["evidence"][cid] = f"AIMS-{100 + n} procedure"
        if status in ("implemented", "partial"):
            fields["implementation"][cid] = _HOW.get(
                objective, "Described in the control's own procedure."
            )
        if status != "implemented":
            fields["target_date"][cid] = today + dt.timedelta(days=30 + 7 * n)
    for name, values in fields.items():
        if values:
            soa.set_values(ef, name, values)
    soa.issue(ef, "Executive Risk Committee", today - dt.timedelta(days=30))
    _edits_since_issue(ef, lines, selected)


def _edits_since_issue(
    ef: EngagementFile, lines: list[soa.SoaLine], selected: dict[str, list[tuple[str, str]]]
) -> None:
    """The problems an auditor will find, one or more per rule."""
    soa.set_values(ef, "decision", {"A.8.3": "excluded", "A.10.3": "excluded"})
    soa.set_values(ef, "decision", dict.fromkeys(_REOPENED, "undecided"))
    soa.set_values(ef, "status", {"A.8.3": "not_started", "A.10.3": "not_started"})
    soa.set_values(ef, "target_date", {"A.8.3": None, "A.10.3": None})
    soa.set_values(ef, "justification", {"A.10.3": "Vendors manage their own AI."})
    soa.set_values(ef, "owner", {"A.3.3": ""})
    soa.set_values(ef, "evidence", {"A.5.2": ""})
    soa.set_values(ef, "status", {"A.5.2": "implemented"})
    # an exclusion someone marked implemented, with the evidence of the old inclusion
    soa.set_values(ef, "status", {"A.10.4": "implemented"})
    soa.set_values(ef, "evidence", {"A.10.4": "AIMS-140 procedure"})
    unselected = [x.control_id for x in lines if x.control_id not in selected]
    chosen = [x.control_id for x in lines if x.control_id in selected]
    if unselected:  # risk treatment given as reason, but no risk selects the control
        soa.set_values(ef, "reason_risk_treatment", {unselected[0]: True})
    if len(unselected) > 1:  # an inclusion whose reasons were cleared
        cid = unselected[1]
        for name in soa.REASONS:
            soa.set_values(ef, name, {cid: False})
        soa.set_values(ef, "reason_text", {cid: ""})
    chosen = [c for c in chosen if c not in ("A.8.3", "A.10.3", *_REOPENED)]
    if chosen:  # selected by a risk, but the tick of risk treatment was taken off
        soa.set_values(ef, "reason_risk_treatment", {chosen[0]: False})
