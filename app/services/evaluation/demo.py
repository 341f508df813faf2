"""The demo's evaluation and improvement area. Runs after the documents, which its links name.

Objectives: five, as the demo lender's AIMS lead keeps them, each with its measurements. One is
off track (the approval-rate difference of the credit model), and each monitoring rule fires once or
more: an objective with a measure but no target, one last measured longer ago than its
interval, one never measured, and one with no evaluation interval.

Internal audit: a programme with one audit done (AUD-001) and one planned; see `audits`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Person
from app.services.documents.register import DOCUMENTS
from app.services.engagement import history, ids
from app.services.engagement.file import EngagementFile
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES, draw_checklist, line_id
from app.services.evaluation.objectives import MEASUREMENTS, OBJECTIVES
from app.services.people.names import normalized
from app.services.registers import service as register
from app.services.risks.demo import COMP, CRO, HDS, HR

# (objective, function or level, measure, numeric, target, direction, unit, owner, due in
#  days, resources, how evaluated, interval in months, documents, measurements as (days
#  before today, value, by whom, note))
_OBJECTIVES = [
    ("Validate every in-house model before release", "Data Science",
     "Share of model releases validated independently before go-live", True, 100.0,
     "at_least", "%", HDS, 180, "Two validators from Model Risk; the validation toolkit.",
     "Counted from the release log each quarter; reported to the AI governance committee.",
     3, "DOC-040, DOC-061",
     [(200, "80", HDS, "Two of ten releases went live before validation."),
      (110, "90", HDS, ""), (20, "100", HDS, "Every release of the quarter validated.")]),
    ("Keep the approval-rate difference of the credit model within tolerance", "Credit risk",
     "Approval-rate difference between thin-file and other applicants", True, 5.0, "at_most",
     "percentage points", CRO, 240, "Fairness analyst (half time); monthly parity report.",
     "Parity report each quarter; a difference above the target goes to the management review.",
     3, "DOC-040",
     [(190, "4.1", HDS, ""), (100, "5.2", HDS, "Rate rises changed the applicant mix."),
      (15, "6.8", HDS, "Referral band not live yet; see the improvement raised.")]),
    ("Train every member of staff who uses the AI assistants", "Customer service",
     "Share of assistant users who completed the AI awareness course", True, 95.0,
     "at_least", "%", HR, 120, "E-learning licence; team leaders' time.",
     "Read from the learning system twice a year.", 6, "",
     [(330, "61", HR, "Course launched."), (250, "96", HR, "Catch-up sessions held.")]),
    ("Answer complaints about automated decisions quickly", "Customer operations",
     "Median working days to answer a complaint about an automated decision", True, None,
     "at_most", "working days", COMP, 90, "Complaints team; the case system's reports.",
     "Monthly report from the case system.", 1, "", []),
    ("Publish the AI transparency statement", "Board", "Statement published and reviewed",
     False, None, "at_least", "", CRO, 60, "Compliance and Communications.",
     "The board checks it is published and current.", None, "",
     [(40, "Drafted; legal review pending", COMP, "")]),
]  # fmt: skip


def objectives(ef: EngagementFile) -> None:
    today = dt.date.today()
    for n, row in enumerate(_OBJECTIVES, start=1):
        (title, level, measure, numeric, target, direction, unit, owner, due, resources, how,
         interval, docs, measured) = row  # fmt: skip
        objective = register.create(
            ef,
            OBJECTIVES,
            {
                "id": f"OBJ-{n:03d}", "title": title, "level": level, "measure": measure,
                "numeric": numeric, "target": target, "direction": direction, "unit": unit,
                "owner": owner, "due_date": today + dt.timedelta(days=due),
                "resources": resources, "evaluation": how, "interval_months": interval,
                "documents": docs,
            },
        )  # fmt: skip
        for days, value, by, note in measured:
            register.create(
                ef,
                MEASUREMENTS,
                {
                    "objective": objective,
                    "measured_on": today - dt.timedelta(days=days),
                    "value": value,
                    "measured_by": by,
                    "note": note,
                },
            )


def person_named(ef: EngagementFile, name: str, job_title: str) -> str:
    """The ID of the person with this name, added when nobody has it yet."""
    with ef.writing() as session:
        for pid, known in session.execute(
            select(Person.id, Person.name).where(Person.deleted.is_(False))
        ):
            if normalized(known) == normalized(name):
                return str(pid)
        pid = ids.next_free_id(session, Person, "PER", 3)
        session.add(
            Person(id=pid, name=name, job_title=job_title, created_at=history.now(), deleted=False)
        )
        history.record(session, ef.actor, "person", pid, "created", None, name)
    return pid


# AUD-001's findings, by line position: result, notes, evidence. Its scope draws the impact
# assessment points (6.1.4, then 8.4), the risk assessment points (8.2) and control A.5.2.
_RESULTS: dict[int, tuple[str, str, str]] = {
    1: ("conforming", "Procedure approved by the DPO and the CRO; template in use.", "DOC-030"),
    2: ("minor", "The customer service assistant's assessment leaves out foreseeable misuse; "
        "the procedure asks for it.", "DOC-030"),
    3: ("observation", "Reassessment triggers are written but no one checks them yet.", ""),
    4: ("conforming", "Credit model assessed before go-live; record kept.", ""),
    5: ("major", "The HR screening tool bought from a vendor is in use with no impact "
        "assessment at all.", ""),
    6: ("improvement", "Set a retention period for the assessment reports.", ""),
    7: ("conforming", "Yearly risk assessment cycle agreed and minuted.", "DOC-021"),
    8: ("conforming", "Each risk keeps its assessment date and result.", "DOC-021"),
    9: ("conforming", "Impact assessment procedure covers A.5.2.", "DOC-030"),
}  # fmt: skip


def audits(ef: EngagementFile) -> None:
    """An audit programme for the year, one audit done (AUD-001, which found a minor and a
    major nonconformity at lines AUD-001-002 and AUD-001-005) and one planned. Left on
    purpose: the done audit did not reach clause 8.3 (the AI-specific requirements are not
    all covered, IAU-02); the programme's clauses and controls that no audit reached yet
    (IAU-03); and the CRO auditing the risk assessment she owns (IAU-04)."""
    today = dt.date.today()
    grace = person_named(ef, "Grace Okafor", "Compliance Manager")
    tom = person_named(ef, "Tom Becker", "Head of Data Science")
    priya = person_named(ef, "Priya Shah", "Chief Risk Officer")
    # the next audit is led by the contractor, who owns nothing it covers
    liam = person_named(ef, "Liam Doyle", "Model validation consultant")
    docs = {i.id for i in register.list_items(ef, DOCUMENTS)}
    programme = register.create(
        ef,
        PROGRAMMES,
        {
            "title": f"AIMS internal audit programme {today.year}",
            "period_from": today - dt.timedelta(days=90),
            "period_to": today + dt.timedelta(days=275),
            "frequency": "Every clause and the AI controls once a year; impact assessment "
            "and AI risk twice",
            "methods": "Interviews, document review and sampling of records; remote for the "
            "Dublin branch.",
            "responsibilities": "The Compliance Manager plans the audits and reports to the "
            "Executive Risk Committee; auditors never audit their own work.",
            "clauses": "4, 6.1.4, 8.2, 8.3, 8.4, 9.2, 10.2",
            "controls": "A.5.2, A.6.2.6, A.7.4",
        },
    )
    done = register.create(
        ef,
        AUDITS,
        {
            "id": "AUD-001",
            "title": "Impact assessment and AI risk assessment",
            "programme": programme,
            "planned_on": today - dt.timedelta(days=30),
            "clauses": "6.1.4, 8.4, 8.2",
            "controls": "A.5.2",
            "systems": "",
            "sites": "Leeds head office",
            "criteria": "ISO/IEC 42001 clauses in scope; the impact assessment procedure "
            "(DOC-030) and the AI risk methodology (DOC-021).",
            "lead_auditor": grace,
            "team": f"{tom}, {priya}",
        },
    )
    draw_checklist(ef, done)
    for position, (result, notes, evidence) in _RESULTS.items():
        values: dict[str, object] = {"result": result, "notes": notes}
        if evidence in docs:
            values["evidence"] = evidence
        # the CRO audits the risk assessment points she owns; Tom the impact assessment
        values["auditor"] = priya if position in (7, 8) else tom
        register.update(ef, LINES, line_id(done, position), values)
    register.update(
        ef, AUDITS, done, {"actual_on": today - dt.timedelta(days=28), "status": "done"}
    )
    planned = register.create(
        ef,
        AUDITS,
        {
            "title": "Risk treatment, monitoring and corrective action",
            "programme": programme,
            "planned_on": today + dt.timedelta(days=60),
            "clauses": "8.3, 9.1, 10.2",
            "controls": "A.6.2.6, A.7.4",
            "sites": "Leeds head office, Dublin branch",
            "lead_auditor": liam,
        },
    )
    draw_checklist(ef, planned)
