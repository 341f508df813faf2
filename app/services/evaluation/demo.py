"""The demo's evaluation and improvement area. Runs after the documents, which its links name.

Objectives: five, as the demo lender's AIMS lead keeps them, each with its measurements. One is
off track (the approval-rate difference of the credit model), and each monitoring rule fires once or
more: an objective with a measure but no target, one last measured longer ago than its
interval, one never measured, and one with no evaluation interval.

Internal audit: a programme with one audit done (AUD-001) and one planned; see `audits`.

Nonconformities: what the first internal audit found (NC-001 and NC-002, raised from its
lines when the audit has them) and how each finding was handled, with one from an incident, a
complaint and a management review, so every nonconformity rule has an item to show.

Reviews: one held a month ago with top management, one input left blank and an action
overdue; the next planned with no top management invited yet (each MRV rule on an item)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import AimsRole, Document, Person, ReviewInput, RoleAssignment
from app.services.documents.register import DOCUMENTS
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.evaluation import nonconformities as nc
from app.services.evaluation import review_inputs
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES, draw_checklist, line_id
from app.services.evaluation.objectives import MEASUREMENTS, OBJECTIVES
from app.services.evaluation.reviews import ACTIONS, INPUTS, REVIEWS
from app.services.people.spelling import normalized
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


_DAY = dt.timedelta(days=1)


def _from_line(ef: EngagementFile, line_id: str, grade: str, values: dict[str, object]) -> str:
    """Raised from the audit line when the demo's audit has it; otherwise the same finding
    typed in with the line as its source reference."""
    try:
        nc_id = nc.raise_from_line(ef, line_id)
    except FieldError:
        return register.create(
            ef,
            nc.NONCONFORMITIES,
            {"source": "internal_audit", "source_ref": line_id, "grade": grade, **values},
        )
    register.update(  # the audit's own date stays
        ef, nc.NONCONFORMITIES, nc_id, {k: v for k, v in values.items() if k != "raised_on"}
    )
    return nc_id


def _raised(ef: EngagementFile, nc_id: str) -> dt.date:
    raised = register.get_item(ef, nc.NONCONFORMITIES, nc_id).values["raised_on"]
    assert isinstance(raised, dt.date)
    return raised


def _action(ef: EngagementFile, nc_id: str, action: str, owner: str, **dates: object) -> str:
    return register.create(
        ef,
        nc.CORRECTIVE_ACTIONS,
        {"action": action, "nonconformity": nc_id, "owner": owner, **dates},
    )


def nonconformities(ef: EngagementFile) -> None:
    from app.services.demo import OWNERS  # (the demo module imports this one)

    priya, tom, elena, marcus, _anna, grace = OWNERS
    today = dt.date.today()

    # NC-001, minor, from the internal audit: acted on and closed, but nobody has yet checked
    # that the actions worked (NCR-02)
    first = _from_line(
        ef,
        "AUD-001-002",
        "minor",
        {
            "title": "Drift monitoring results of the credit model not reviewed",
            "ref": "A.6.2.6",
            "raised_on": today - 45 * _DAY,
            "description": "The monthly drift reports of the credit decisioning model were "
            "produced but nobody signed them off for three months.",
            "owner": tom,
            "correction": "The three pending reports were reviewed and signed off.",
            "root_cause": "The review was tied to a person who left; no deputy was named.",
            "root_cause_method": "five_whys",
            "similar": "Checked the fraud model's reports: reviewed on time.",
        },
    )
    r1 = _raised(ef, first)
    due1 = max(r1, today - 5 * _DAY)
    register.update(ef, nc.NONCONFORMITIES, first, {"due_date": due1 + 30 * _DAY})
    _action(
        ef,
        first,
        "Name a deputy reviewer for every model monitoring report",
        tom,
        due_date=r1 + 14 * _DAY,
        done_on=min(today, r1 + 10 * _DAY),
    )
    nc.close(ef, first, min(today, r1 + 14 * _DAY))

    # NC-002, major, from the internal audit: root cause found, one action done, one open
    second = _from_line(
        ef,
        "AUD-001-005",
        "major",
        {
            "title": "Vendor AI in the HR screening tool never impact assessed",
            "ref": "A.5.2",
            "raised_on": today - 45 * _DAY,
            "description": "The CV screening feature of the HR suite went live without an "
            "impact assessment.",
            "owner": elena,
            "correction": "The feature was switched to advisory mode until assessed.",
            "root_cause": "Procurement had no step asking whether a bought tool uses AI.",
            "root_cause_method": "fishbone",
            "similar": "The marketing tools bought last year may have the same gap: added to "
            "the inventory review.",
        },
    )
    r2 = _raised(ef, second)
    register.update(ef, nc.NONCONFORMITIES, second, {"due_date": max(r2, today) + 60 * _DAY})
    _action(
        ef,
        second,
        "Add an AI question to the procurement checklist",
        marcus,
        due_date=r2 + 20 * _DAY,
        done_on=min(today, r2 + 15 * _DAY),
    )
    _action(
        ef,
        second,
        "Assess the HR screening feature and decide on its use",
        elena,
        due_date=max(r2, today) + 30 * _DAY,
    )

    # NC-003 from an incident: past its due date (NCR-01) and nothing done for months (NCR-04)
    register.create(
        ef,
        nc.NONCONFORMITIES,
        {
            "title": "Chatbot answered a loan question outside its approved topics",
            "source": "incident",
            "source_ref": "INC-2291",
            "ref": "A.9.4",
            "grade": "minor",
            "raised_on": today - 80 * _DAY,
            "due_date": today - 20 * _DAY,
            "owner": grace,
            "description": "A customer was told an indicative rate by the assistant.",
            "correction": "The answer was corrected with the customer by phone.",
        },
    )

    # NC-004 from a complaint: an action is under way, but the cause was never found (NCR-03)
    fourth = register.create(
        ef,
        nc.NONCONFORMITIES,
        {
            "title": "Applicant not told an automated decision was involved",
            "source": "complaint",
            "source_ref": "CMP-0418",
            "ref": "A.8.2",
            "grade": "minor",
            "raised_on": today - 20 * _DAY,
            "due_date": today + 40 * _DAY,
            "owner": priya,
        },
    )
    _action(
        ef,
        fourth,
        "Rewrite the decline letter to say how the decision was made",
        priya,
        due_date=today + 25 * _DAY,
    )

    # NC-005 from a management review: its first action did not work, so the review of its
    # effectiveness reopened it and a second action followed
    fifth = register.create(
        ef,
        nc.NONCONFORMITIES,
        {
            "title": "AI risk register not reviewed after the new fraud model went live",
            "source": "management_review",
            "ref": "6.1.2",
            "grade": "minor",
            "raised_on": today - 120 * _DAY,
            "due_date": today + 30 * _DAY,
            "owner": grace,
            "root_cause": "Go-live approvals did not ask for a risk review.",
            "root_cause_method": "five_whys",
        },
    )
    _action(
        ef,
        fifth,
        "Remind model owners to review risks at go-live",
        grace,
        due_date=today - 95 * _DAY,
        done_on=today - 100 * _DAY,
    )
    nc.close(ef, fifth, today - 98 * _DAY)
    nc.record_effectiveness(
        ef,
        fifth,
        today - 40 * _DAY,
        priya,
        effective=False,
        note="A reminder was not enough: the next go-live again skipped the risk review.",
    )
    _action(
        ef,
        fifth,
        "Make the risk review a required step of the go-live approval",
        marcus,
        due_date=today + 15 * _DAY,
    )

    register.create(
        ef,
        nc.IMPROVEMENTS,
        {
            "title": "Automate the monthly drift report sign-off reminders",
            "source": "internal_audit",
            "source_ref": "AUD-001",
            "description": "Reminders and escalation from the monitoring tool instead of "
            "a calendar entry.",
            "decision": "adopted",
            "decided_on": today - 30 * _DAY,
            "owner": tom,
        },
    )
    register.create(
        ef,
        nc.IMPROVEMENTS,
        {
            "title": "Share impact assessment templates with the Dublin branch",
            "source": "management_review",
            "decision": "undecided",
            "owner": grace,
        },
    )


_BOARD = ("Priya Shah", "Chief Risk Officer")
_LEAD = ("Grace Okafor", "Compliance Manager")
_BOARD_ROLE = "Executive Risk Committee member"


def _top_manager(ef: EngagementFile, on: dt.date) -> str:
    """Someone holding a top management role on the date: the people demo's board member
    when there is one, otherwise the CRO in a committee role made for the purpose."""
    with ef.reading() as session:
        held = session.execute(
            select(RoleAssignment.person)
            .join(AimsRole, AimsRole.id == RoleAssignment.role)
            .join(Person, Person.id == RoleAssignment.person)
            .where(
                AimsRole.top_management.is_(True),
                AimsRole.deleted.is_(False),
                RoleAssignment.deleted.is_(False),
                Person.deleted.is_(False),
                (RoleAssignment.from_date.is_(None)) | (RoleAssignment.from_date <= on),
                (RoleAssignment.to_date.is_(None)) | (RoleAssignment.to_date >= on),
            )
            .order_by(RoleAssignment.id)
        ).first()
    if held is not None:
        return str(held[0])
    person_id = person_named(ef, *_BOARD)
    with ef.writing() as session:
        role = session.scalar(
            select(AimsRole).where(AimsRole.title == _BOARD_ROLE, AimsRole.deleted.is_(False))
        )
        if role is None:
            role = AimsRole(
                id=ids.next_free_id(session, AimsRole, "ROLE", 2),
                title=_BOARD_ROLE,
                responsibilities="Directs the AIMS and reviews it at least once a year.",
                top_management=True,
                created_at=history.now(),
                deleted=False,
            )
            session.add(role)
            history.record(session, ef.actor, "aims_role", role.id, "created", None, role.title)
        role.top_management = True
        holding_id = ids.next_free_id(session, RoleAssignment, "RH", 3)
        session.add(
            RoleAssignment(
                id=holding_id,
                role=role.id,
                person=person_id,
                from_date=on - dt.timedelta(days=365),
                created_at=history.now(),
                deleted=False,
            )
        )
        history.record(session, ef.actor, "role_assignment", holding_id, "created", None, role.id)
    return person_id


def _minutes(ef: EngagementFile) -> str:
    with ef.reading() as session:
        found = session.scalar(
            select(Document.id).where(Document.kind == "minutes", Document.deleted.is_(False))
        )
    return str(found or "")


def reviews(ef: EngagementFile) -> None:
    """One review held a month ago with top management present, its inputs prepared from the
    engagement but one left blank (MRV-02), and its actions, one overdue (MRV-04); the next
    review planned with only the Compliance Manager invited so far (MRV-03)."""
    today = dt.date.today()
    held_on = today - dt.timedelta(days=30)
    board = _top_manager(ef, held_on)
    lead = person_named(ef, *_LEAD)
    first = register.create(
        ef,
        REVIEWS,
        {
            "title": "First AIMS management review",
            "held_on": held_on,
            "attendees": f"{board}, {lead}",
            "decisions": "Extend the internal audit to the Annex A controls on data and third "
            "parties; run the HR screening vendor's system through an impact assessment.",
            "changes": "Bring the vendor AI of HR and marketing into the AIMS scope.",
            "resources": "Half a post in Compliance for the AIMS until Stage 2; an external "
            "auditor for the first AI internal audit.",
            "minutes": _minutes(ef),
            "notes": "The opportunities for improvement were not discussed: time ran out.",
        },
    )
    review_inputs.prepare_inputs(ef, first)
    with ef.reading() as session:
        blank = session.scalar(
            select(ReviewInput.id).where(
                ReviewInput.review == first, ReviewInput.topic == "improvement"
            )
        )
    if blank:  # the topic the meeting did not reach
        register.update(ef, INPUTS, str(blank), {"notes": "", "links": ""})
    for action, due, done in (
        ("Extend the audit checklist to Annex A controls A.7 and A.10", 10, None),
        ("Impact assessment of the HR screening vendor's system", -5, None),
        ("Name an owner for each AI obligation", 5, today - dt.timedelta(days=12)),
    ):
        register.create(
            ef,
            ACTIONS,
            {
                "action": action,
                "review": first,
                "owner": _LEAD[0],  # a person by name, as owners are
                "due_date": today + dt.timedelta(days=due),
                "done_on": done,
            },
        )
    register.create(
        ef,
        REVIEWS,
        {
            "title": "AIMS management review before Stage 2",
            "held_on": today + dt.timedelta(days=150),
            "attendees": lead,
            "notes": "Invite the Executive Risk Committee.",
        },
    )
