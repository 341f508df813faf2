"""The demo's people: Northwind's board member who approved the AI policy (DOC-010), the AIMS
lead, the risk owner, the impact assessment approver and a few more, holding the starting
roles. Each of the area's rules fires once at least: the internal auditor's role is held by
nobody; the CRO took training nobody verified; the board member, the CRO and the Head of Data
Science are not verified for their roles (the data steward's role requires nothing yet); the
CRO signed a draft of the AI policy, not version 1.0, and the Head of Data Science signed
nothing; and the AIMS lead reports to the CRO, not to top management, so no role is
accountable for reporting the AIMS's performance to top management. Runs after the documents:
its evidence and acknowledgements name them."""

from __future__ import annotations

import datetime as dt

from app.services.documents.demo import CEO as BOARD  # who approved the AI policy
from app.services.engagement.file import EngagementFile
from app.services.people import service
from app.services.people.registers import (
    ACKNOWLEDGEMENTS,
    HOLDERS,
    PEOPLE,
    ROLE_COMPETENCES,
    ROLES,
    TRAINING,
    VERIFICATIONS,
)
from app.services.registers import service as register
from app.services.registers.description import Register

# the people's names, as the other areas' owners and approvers give them
LEAD, CRO = "Grace Okafor", "Priya Shah"
DPO, HDS, CIO, HR = "Elena Rossi", "Tom Becker", "Marcus Lee", "Anna Kowalski"

_PEOPLE = [
    ("PER-001", BOARD, "Chief Executive Officer and board member", "Board", "internal"),
    ("PER-002", LEAD, "Compliance Manager", "Compliance", "internal"),
    ("PER-003", CRO, "Chief Risk Officer", "Risk", "internal"),
    ("PER-004", DPO, "Data Protection Officer", "Legal", "internal"),
    ("PER-005", HDS, "Head of Data Science", "Data Science", "internal"),
    ("PER-006", CIO, "Chief Information Officer", "Technology", "internal"),
    ("PER-007", HR, "HR Director", "People", "internal"),
    ("PER-008", "Liam Doyle", "Model validation consultant", "Data Science", "contractor"),
]
_EMAILS = {BOARD: "s.whitfield", LEAD: "g.okafor", CRO: "p.shah", DPO: "e.rossi"}

# role (starting template) -> required competence: (ID, competence, kind)
_REQUIRED = {
    "top_management": [("RC-001", "Briefing on the board's duties for AI governance", "training")],
    "aims_lead": [
        ("RC-002", "ISO/IEC 42001 implementation", "training"),
        ("RC-003", "Two years running a management system", "experience"),
    ],
    "risk_owner": [("RC-004", "AI risk assessment and treatment", "training")],
    "impact_approver": [("RC-005", "Impact assessment of automated decisions", "experience")],
    "internal_auditor": [("RC-006", "Auditing management systems", "training")],
    "system_owner": [("RC-007", "Model lifecycle and validation", "experience")],
}  # the data steward's role requires nothing yet


def add_people(ef: EngagementFile, today: dt.date | None = None) -> None:
    today = today or dt.date.today()

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    for pid, name, title, dept, kind in _PEOPLE:
        email = f"{_EMAILS[name]}@northwind.example" if name in _EMAILS else ""
        values = {"name": name, "job_title": title, "department": dept, "kind": kind}
        _add(ef, PEOPLE, pid, {**values, "email": email})
    service.add_starting_roles(ef)
    role = {str(r.values["template"]): r.id for r in register.list_items(ef, ROLES)}
    # the client's answer: the lead reports to the CRO every month, not to top management
    register.update(ef, ROLES, role["aims_lead"], {"reports_performance": False})
    for template, needs in _REQUIRED.items():
        for rc_id, what, kind in needs:
            _add(ef, ROLE_COMPETENCES, rc_id, {"competence": what, "role": role[template],
                                               "kind": kind})  # fmt: skip
    holdings = [
        ("top_management", "PER-001", -400, None, "Board resolution", "DOC-004"),
        ("aims_lead", "PER-002", -300, None, "Appointment letter; intranet notice", "DOC-004"),
        ("risk_owner", "PER-003", -300, None, "AI governance charter, RACI", "DOC-004"),
        ("impact_approver", "PER-004", -200, None, "AI governance charter, RACI", "DOC-004"),
        ("system_owner", "PER-005", -250, None, "Team meeting", ""),
        ("data_steward", "PER-006", -400, -40, "E-mail from the CIO", ""),
        ("data_steward", "PER-005", -39, None, "E-mail from the CIO", ""),
    ]
    for n, (template, person, start, end, how, evidence) in enumerate(holdings, 1):
        _add(ef, HOLDERS, f"RH-{n:03d}", {
            "role": role[template], "person": person, "from_date": days(start),
            "to_date": days(end) if end is not None else None, "communicated": how,
            "evidence": evidence})  # fmt: skip
    _add(ef, TRAINING, "TRN-001", {
        "course": "ISO/IEC 42001 Lead Implementer", "person": "PER-002",
        "provider": "Halden Academy", "taken_on": days(-120), "competences": "RC-002",
        "evidence": "DOC-050"})  # fmt: skip
    _add(ef, TRAINING, "TRN-002", {
        "course": "AI risk management fundamentals", "person": "PER-003",
        "provider": "Halden Academy", "taken_on": days(-60), "competences": "RC-004",
        "notes": "Certificate received; no check yet that it is applied."})  # fmt: skip
    verifications = [
        ("VER-001", "Lead Implementer exam", "PER-002", "RC-002", "TRN-001", "certification",
         HR, -110, "competent", "DOC-050"),
        ("VER-002", "Review of the ISMS she ran", "PER-002", "RC-003", "", "review", BOARD,
         -90, "competent", ""),
        ("VER-003", "Interview on impact assessment", "PER-004", "RC-005", "", "interview",
         LEAD, -45, "competent", ""),
        ("VER-004", "Review of the credit model validation", "PER-005", "RC-007", "", "review",
         CRO, -20, "not_yet", "DOC-061"),
    ]  # fmt: skip
    for vid, what, person, comps, training, method, by, ago, result, evidence in verifications:
        _add(ef, VERIFICATIONS, vid, {
            "title": what, "person": person, "competences": comps, "training": training,
            "method": method, "verified_by": by, "verified_on": days(ago), "result": result,
            "evidence": evidence})  # fmt: skip
    acks = [
        ("ACK-001", "PER-001", "", -64, "Signed as approver"),
        ("ACK-002", "PER-002", "", -50, "E-learning acknowledgement"),
        ("ACK-003", "PER-004", "", -50, "E-learning acknowledgement"),
        ("ACK-004", "PER-003", "0.9", -90, "Signed the draft"),  # not the current version
    ]
    for aid, person, version, ago, how in acks:
        _add(ef, ACKNOWLEDGEMENTS, aid, {
            "person": person, "document": "DOC-010", "version": version,
            "acknowledged_on": days(ago), "how": how})  # fmt: skip


def _add(ef: EngagementFile, reg: Register, item_id: str, values: dict[str, object]) -> None:
    register.create(ef, reg, {"id": item_id, **values})
