"""The demo client's AI risk register: about 25 risks over its AI systems, across AI harm
categories, some untreated, some with residual risk nobody accepted or nobody rated, one
treatment with nothing behind it, one without an owner, two past their review date, overdue
actions, a typed category nobody classified, and two opportunities (one with no action). The
criteria were approved by management and reworded since (to approve again); the treatment
plan is not approved yet. Every date is counted from the day the demo is made, so the story
reads the same next year."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from app.services.engagement import approvals
from app.services.engagement.file import EngagementFile
from app.services.risks import service as risks
from app.services.risks.service import Action, ControlChoice

CRO, CIO = "Priya Shah (Chief Risk Officer)", "Marcus Lee (CIO)"
DPO, HR = "Elena Rossi (Data Protection Officer)", "Anna Kowalski (HR Director)"
HDS, COMP = "Tom Becker (Head of Data Science)", "Grace Okafor (Compliance Manager)"

# title, category, systems, owner, (L, I), treatment, controls, actions, residual, accepted by
_RISKS: list[tuple[Any, ...]] = [
    ("Credit model declines thin-file applicants unfairly", "Fair - with harmful bias managed",
     ["AIS-001"], CRO, (4, 4), "modify",
     [("A.7.4", "Data quality checks per applicant group"),
      ("A.6.2.4", "Fairness tests before release")],
     [("Add thin-file referral band", HDS, 20, False),
      ("Quarterly parity report", CRO, -10, False)],
     (2, 4), CRO),
    ("Applicants cannot get an explanation of a decline", "Explainable and interpretable",
     ["AIS-001"], COMP, (3, 4), "modify", [("A.8.2", "Reason codes in decline letters")],
     [("Reason-code template for letters", COMP, 45, False)], (2, 3), ""),
    ("Underwriters rubber-stamp model referrals", "Level of automation", ["AIS-001"], CRO,
     (4, 3), "modify", [("A.9.2", "Review procedure with sampling")],
     [("Sample 5% of referrals monthly", CRO, -5, False)], (3, 3), ""),
    ("Model drift after interest-rate changes", "Risk sources related to machine learning",
     ["AIS-001", "AIS-009"], HDS, (4, 4), "modify", [("A.6.2.6", "Drift monitoring")],
     [("Population stability alerts", HDS, 30, True)], (2, 4), CRO),
    ("Fraud model blocks genuine payments abroad", "Valid and reliable", ["AIS-002"], CIO,
     (3, 3), "retain", [], [], None, CIO),
    ("Card-not-present use never assessed for fraud model", "System life cycle issues",
     ["AIS-002"], CIO, (3, 4), "", [], [], None, ""),
    ("Chat assistant gives wrong fee information", "Misinformation", ["AIS-003"], COMP,
     (4, 3), "modify",
     [("A.6.2.6", "Answers limited to approved fee content, monitored in operation")],
     [("Monthly transcript review", COMP, 15, False)], (2, 3), ""),
    ("Customers not told they talk to an AI", "Accountable and transparent", ["AIS-003"], COMP,
     (3, 3), "modify", [("A.8.2", "Tell customers they are talking to an AI")],
     [("Add disclosure banner", CIO, -30, True)],
     (1, 3), COMP),
    ("Vulnerable customers not routed to a person", "Human- Computer Interaction", ["AIS-003"],
     "", (3, 5), "", [], [], None, ""),
    ("Prompt injection leaks account data through the assistant", "Privacy & Security",
     ["AIS-003"], CIO, (3, 5), "modify", [("A.10.3", "Vendor security testing clause")],
     [("Ask Conversia for red-team report", CIO, -3, False)], (3, 4), ""),
    ("CV screening ranks older applicants lower", "Discrimination & Toxicity", ["AIS-004"], HR,
     (4, 5), "", [], [], None, ""),
    ("HR vendor changes the ranking model without notice", "Complexity of environment",
     ["AIS-004"], HR, (3, 4), "share", [("A.10.3", "Change notification in the contract")],
     [("Contract addendum with TalentCloud", HR, 60, False)], (2, 4), HR),
    ("Collections model pushes customers in hardship", "Socioeconomic & Environmental",
     ["AIS-005"], CRO, (3, 5), "", [], [], None, ""),
    ("Acquired collections model has no documentation", "Technology readiness", ["AIS-005"],
     HDS, (4, 3), "modify", [("A.6.2.7", "Technical documentation")],
     [("Write model card", HDS, 25, False)], (3, 3), ""),
    ("Marketing copy implies credit approval", "Misinformation", ["AIS-006"], COMP, (3, 4),
     "modify", [("A.9.4", "Intended-use rules for the generator")],
     [("Compliance sign-off on AI copy", COMP, 10, False)], (2, 3), COMP),
    ("Generated copy reuses copyrighted text", "Intellectual property", ["AIS-006"], COMP, (2, 3),
     "avoid", [], [], None, ""),
    ("OCR misreads payslips", "Valid and reliable", ["AIS-007"], HDS, (3, 3), "modify",
     [("A.6.2.6", "Confidence threshold: low-confidence reads go to manual keying")],
     [("Tune the threshold on last quarter's payslips", HDS, 40, False)],
     (2, 2), HDS),
    ("Income estimator overstates income", "Valid and reliable", ["AIS-009"], CRO, (3, 5), "modify",
     [("A.6.2.4", "Validation against payslips")],
     [("Cap at verified income", HDS, 50, False)], (2, 4), ""),
    ("Training data holds special-category data", "Privacy-enhanced", ["AIS-001", "AIS-009"],
     DPO, (3, 4), "modify", [("A.7.3", "Data acquisition rules"), ("A.7.5", "Provenance records")],
     [("Data protection impact assessment", DPO, -15, False)], (2, 3), DPO),
    ("Model servers run out of capacity at month end", "System hardware issues",
     ["AIS-001", "AIS-002"], CIO, (2, 3), "retain", [], [], None, CIO),
    ("Ransomware on the model training environment", "Information security (IT)", [], CIO,
     (2, 5), "modify", [], [("Offline backups of training data", CIO, 20, False)], (1, 5), CIO),
    ("Data centre outage stops fraud scoring", "IT service continuity", ["AIS-002"], CIO,
     (2, 4), "share", [], [], (2, 3), CIO),
    ("Single vendor for all generative AI", "Vendor lock-in", ["AIS-003", "AIS-006"], CIO,
     (3, 2), "retain", [], [], None, CIO),
    ("Staff use public chatbots with customer data", "Privacy & Security", [], DPO, (4, 4),
     "modify", [("A.9.2", "Acceptable-use rules for public AI tools")],
     [("Publish acceptable-use policy", DPO, 5, False),
      # competence and awareness (7.2, 7.3): work of the AIMS, not an Annex A control
      ("Safe-AI-use awareness training for all staff", HR, 45, False)], (3, 4), ""),
]  # fmt: skip

# title, category, systems, owner, actions (the second has none: the gap shows)
_OPPORTUNITIES: list[tuple[Any, ...]] = [
    (
        "Explainable declines as a selling point",
        "Accountable and transparent",
        ["AIS-001"],
        COMP,
        [("Add decline explanations to the broker portal pitch", COMP, 60, False)],
    ),
    ("Faster affordability checks for brokers", "Valid and reliable", ["AIS-009"], CRO, []),
]
ACCEPTOR = "Sarah Whitfield (Chief Executive Officer)"  # documents.demo CEO, top management
# the acceptance by someone whose roles do not allow it (Tom Becker, who owns the risk)
_OWNER_ACCEPTED = "OCR misreads payslips"
# assessed long ago and past their review date: the reassessment is overdue (8.2)
_REVIEW_LATE = {"Underwriters rubber-stamp model referrals", "Single vendor for all generative AI"}


def add_risks(ef: EngagementFile) -> None:
    today = dt.date.today()
    for title, category, systems, owner, (lik, imp), treat, controls, actions, resid, by in _RISKS:
        values: dict[str, object] = {
            "title": title, "category": category, "owner": owner,
            "description": f"Cause, event and consequence of: {title.lower()}.",
            "source": "", "inherent_likelihood": lik, "inherent_impact": imp,
            "treatment": treat, "status": "in_treatment" if treat else "open",
            "assessed_on": today - dt.timedelta(days=45),
            "review_date": today + dt.timedelta(days=90),
            "affected_parties": "Customers" if "HR" not in category else "Job applicants",
        }  # fmt: skip
        if title in _REVIEW_LATE:
            values["assessed_on"] = today - dt.timedelta(days=200)
            values["review_date"] = today - dt.timedelta(days=20)
        if resid:
            values["residual_likelihood"], values["residual_impact"] = resid
        if by:
            # top management accepts what remains (the CEO, for the board: the People demo
            # gives her that authority); one risk owner accepted his own risk, with no
            # authority to (PPL-06)
            by = by if title == _OWNER_ACCEPTED else ACCEPTOR
            values.update(accepted_by=by, accepted_on=today - dt.timedelta(days=12))
        risks.save_risk(
            ef, None, values, systems,
            [ControlChoice(c, reason) for c, reason in controls],
            [Action(a, who, today + dt.timedelta(days=due), done) for a, who, due, done in actions],
        )  # fmt: skip
    for title, category, systems, owner, actions in _OPPORTUNITIES:
        risks.save_risk(
            ef, None,
            {"kind": "opportunity", "title": title, "category": category, "owner": owner,
             "inherent_likelihood": 3, "inherent_impact": 3, "assessed_on": today},
            systems, [],
            [Action(a, who, today + dt.timedelta(days=due), done) for a, who, due, done in actions],
        )  # fmt: skip
    # the consultant asked about the categories typed: intellectual property is an AI harm;
    # "Vendor lock-in" is still to be asked about (the gap shows)
    typed = risks.category_named(ef, "Intellectual property")
    assert typed is not None
    risks.classify_category(ef, typed.id, True)
    approvals.set_approval(
        ef,
        approvals.Approval(
            "risk_criteria", "Sarah Whitfield", "Chief Executive Officer",
            today - dt.timedelta(days=40), risks.criteria_version(ef),
            "Approved at the Executive Risk Committee.",
        ),
    )  # fmt: skip
    # since then the consultant reworded the likelihood scale for lending: the approval was of
    # the version before, so the criteria read unapproved until the committee signs again
    criteria = risks.get_criteria(ef)
    rare = dataclasses.replace(
        criteria.likelihood[0], description="Less than once in ten years across the lender"
    )
    reworded = dataclasses.replace(criteria, likelihood=(rare, *criteria.likelihood[1:]))
    for _ in risks.change_criteria(ef, reworded):
        pass
