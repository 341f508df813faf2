"""The demo's evaluation and improvement area. Runs after the documents, which its links name.

Objectives: five, as the demo lender's AIMS lead keeps them, each with its measurements. One is
off track (the approval-rate difference of the credit model), and each monitoring rule fires once or
more: an objective with a measure but no target, one last measured longer ago than its
interval, one never measured, and one with no evaluation interval."""

from __future__ import annotations

import datetime as dt

from app.services.engagement.file import EngagementFile
from app.services.evaluation.objectives import MEASUREMENTS, OBJECTIVES
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
