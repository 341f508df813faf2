"""The demo client's AI systems and impact assessments, chosen so every inventory rule shows:
a credit model live before the AIMS began and assessed since, but not as a retroactive
assessment; a call transcriber in the same case whose retroactive assessment clears it; a
marketing tool put live after the AIMS began and assessed only afterwards; an acquired model
nobody owns and nobody assessed; an embedded HR screener left out of scope with no reason while
its risks are above the threshold; a fraud model changed since its last review, itself overdue;
assessments not approved or not finished."""

from __future__ import annotations

import datetime as dt

from app.services.engagement.file import EngagementFile
from app.services.inventory import impact
from app.services.inventory import service as inventory

# Every date is so many days before the day the demo is made, so it tells the same story any
# year: the AIMS began ten months ago; some systems were live long before, some went live since.
AIMS_STARTED_DAYS_AGO = 304


def _ago(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


def _systems() -> list[dict[str, object]]:
    year = dt.date.today().year
    return [
        {
            "name": "Credit decisioning model",
            "description": "Gradient-boosted model scoring personal loan applications.",
            "business_owner": "Priya Shah (Chief Risk Officer)",
            "role": "both", "source": "in_house", "consequential": True,
            "intended_use": "Recommend approve, refer or decline for unsecured loans up to "
            "25,000 EUR; underwriters decide referred cases.",
            "foreseeable_misuse": "Used for secured or business lending it was never trained on.",
            "affected_parties": "Loan applicants in the UK and Ireland",
            "ai_act_tier": "high",
            "ai_act_note": "Creditworthiness of natural persons (Annex III).",
            "stage": "deployed", "deployment_date": _ago(940),
            "training_data": f"Five years of loan book outcomes ({year - 8}-{year - 3}), "
            "bureau data.",
            "inference_data": "Application form, bureau report, open banking transactions.",
            "data_provenance": "Internal loan system; bureau under contract; consented open "
            "banking.",
            "data_quality": "Missing income for 4% of records, imputed.",
            "bias_checks": "Approval-rate parity by age band and sex, quarterly.",
            "human_oversight": "Underwriters review every referral and a 5% sample of declines.",
        },
        {
            "name": "Transaction fraud detection",
            "description": "Real-time scoring of card and transfer transactions.",
            "business_owner": "Marcus Lee (CIO)", "role": "both", "source": "in_house",
            "consequential": True,
            "intended_use": "Hold suspicious transactions for analyst review.",
            "affected_parties": "Customers making payments", "ai_act_tier": "minimal",
            "ai_act_note": "Fraud detection is carved out of the high-risk credit use case.",
            "stage": "monitoring", "deployment_date": _ago(1100),
            "human_oversight": "Analysts release or block every held transaction.",
        },
        {
            "name": "Customer service assistant",
            "description": "Chat assistant on the website and app answering account questions.",
            "business_owner": "Grace Okafor (Compliance Manager)", "role": "deployer",
            "source": "vendor", "vendor": "Conversia Ltd (HelpDesk AI)",
            "intended_use": "Answer general questions; hand over to staff for complaints and "
            "advice.",
            "foreseeable_misuse": "Customers asking it for credit advice.",
            "affected_parties": "Customers and prospects", "ai_act_tier": "limited",
            "ai_act_note": "Users must be told they are talking to an AI.",
            "stage": "deployed", "deployment_date": _ago(90),
            "human_oversight": "Staff take over on hand-over keywords; transcripts reviewed "
            "monthly.",
        },
        {
            "name": "CV screening in the HR suite",
            "description": "Ranking of job applicants, a feature switched on in the HR platform.",
            "business_owner": "Anna Kowalski (HR Director)", "role": "deployer",
            "source": "embedded", "vendor": "TalentCloud HR", "consequential": True,
            "affected_parties": "Job applicants", "ai_act_tier": "high",
            "ai_act_note": "Recruitment and selection (Annex III).",
            "stage": "deployed", "deployment_date": _ago(640), "in_scope": False,
        },
        {
            # acquired with a company: nobody took it over, nobody wrote down what it is for
            "name": "Collections prioritisation",
            "description": "Orders overdue accounts for the collections team.",
            "business_owner": "", "role": "both",
            "source": "acquired",
            "vendor": f"Came with the QuickCredit Ltd acquisition ({year - 1})",
            "consequential": True, "affected_parties": "Customers in arrears",
            "ai_act_tier": "unclassified", "stage": "monitoring", "deployment_date": _ago(1600),
        },
        {
            "name": "Marketing copy generator",
            "description": "Generative AI drafting campaign e-mails and web copy.",
            "business_owner": "Tom Becker (Head of Data Science)", "role": "deployer",
            "source": "vendor", "vendor": "CopyCraft", "ai_act_tier": "minimal",
            "stage": "deployed", "deployment_date": _ago(120),
            "foreseeable_misuse": "Drafting personalised offers that look like credit advice.",
        },
        {
            "name": "Document OCR and classification",
            "description": "Reads payslips and bank statements uploaded by applicants.",
            "business_owner": "Tom Becker (Head of Data Science)", "role": "developer",
            "source": "in_house", "ai_act_tier": "minimal", "stage": "verification",
            "intended_use": "Extract income figures from uploaded payslips for underwriters "
            "to confirm.",
        },
        {
            "name": "E-mail spam filter",
            "description": "Filtering of inbound e-mail in the mail gateway.",
            "business_owner": "Marcus Lee (CIO)", "role": "deployer", "source": "embedded",
            "vendor": "MailShield", "ai_act_tier": "minimal", "stage": "deployed",
            "deployment_date": _ago(2100), "in_scope": False,
            "out_of_scope_reason": "Makes no decision about people; IT security controls "
            "cover it.",
        },
        {
            "name": "Affordability income estimator",
            "description": "Estimates disposable income from open banking data.",
            "business_owner": "Priya Shah (Chief Risk Officer)", "role": "developer",
            "source": "in_house", "consequential": True, "ai_act_tier": "high",
            "stage": "development",
            "intended_use": "Estimate disposable income for affordability checks in the "
            "pilot; underwriters confirm every figure.",
            "human_oversight": "Underwriters see the estimate beside the verified payslip "
            "figure and decide.",
        },
        {
            "name": "Legacy scorecard v1",
            "description": "Logistic scorecard replaced by the credit decisioning model.",
            "business_owner": "Priya Shah (Chief Risk Officer)", "role": "developer",
            "source": "in_house", "stage": "decommissioned", "deployment_date": _ago(3200),
            "in_scope": False,
            "out_of_scope_reason": "Switched off when the credit decisioning model went live; "
            "records kept for six years.",
        },
        {
            # added after the risk demo's systems (AIS-001 to AIS-010), which name them by ID
            "name": "Call transcription",
            "description": "Transcribes and summarises contact-centre calls; a feature of the "
            "telephony platform.",
            "business_owner": "Grace Okafor (Compliance Manager)", "role": "deployer",
            "source": "embedded", "vendor": "", "ai_act_tier": "minimal",
            "intended_use": "Call notes and complaint tagging for agents.",
            "affected_parties": "Callers and contact-centre staff",
            "stage": "deployed", "deployment_date": _ago(730),
        },
    ]  # fmt: skip


# (system index, days ago, trigger, assessor, impacts, treatment, result, approved by)
_ASSESSMENTS = [
    # after deployment and recorded as initial: a retroactive one would clear INV-02
    (0, 200, "initial", "Elena Rossi (DPO)",
     [("individuals", "Unfair declines for thin-file applicants", 4, 3),
      ("society", "Reduced access to credit in deprived postcodes", 3, 2)],
     "Add a referral band for thin files; quarterly parity review.",
     "Acceptable with treatment.", "Executive Risk Committee"),
    (1, 1117, "initial", "Tom Becker",
     [("individuals", "Genuine payments blocked, customer stranded abroad", 3, 3)],
     "24/7 analyst cover; customer can release by app.", "Acceptable.", "Marcus Lee (CIO)"),
    # the last review, over a year ago: due again
    (1, 420, "periodic", "Tom Becker",
     [("individuals", "Genuine payments blocked", 3, 2)],
     "No change.", "Acceptable.", "Marcus Lee (CIO)"),
    (2, 110, "initial", "Grace Okafor",
     [("individuals", "Wrong answer about fees misleads a customer", 2, 3),
      ("individuals", "Vulnerable customer not routed to a person", 4, 2)],
     "Disclosure banner; hand-over keywords; monthly transcript review.",
     "Acceptable with treatment.", "Customer Operations Board"),
    # started when the vendor added payment questions: no treatment or result yet
    (2, 20, "significant_change", "Grace Okafor",
     [("individuals", "Wrong advice on a missed payment", 3, 3)], "", "", ""),
    # put live after the AIMS began, assessed only since: retroactive does not apply
    (5, 30, "retroactive", "Tom Becker",
     [("individuals", "Offer wording read as a credit promise", 3, 2)],
     "Compliance reviews every campaign.", "Acceptable with treatment.",
     "Marketing Director"),
    (6, 60, "initial", "Tom Becker",
     [("individuals", "Misread payslip leads to a wrong affordability figure", 3, 2)],
     "Confidence threshold with manual keying below it.", "Acceptable with treatment.", ""),
    (8, 110, "initial", "Elena Rossi (DPO)",
     [("individuals", "Income overstated, leading to unaffordable lending", 5, 2),
      ("society", "Household over-indebtedness", 3, 2)],
     "Cap estimate at verified payslip income.", "Go-ahead for pilot only.",
     "Executive Risk Committee"),
    # live long before the AIMS began, assessed retroactively and approved: INV-02 cleared;
    # its severe impact has no risk in the register yet
    (10, 150, "retroactive", "Elena Rossi (DPO)",
     [("individuals", "Health details callers mention kept in transcripts", 4, 3)],
     "Redact special-category terms; keep transcripts 90 days.",
     "Acceptable with treatment.", "Executive Risk Committee"),
]  # fmt: skip


def add_inventory(ef: EngagementFile) -> None:
    ef.update_details(aims_started_on=_ago(AIMS_STARTED_DAYS_AGO))
    ids = [inventory.create_system(ef, values) for values in _systems()]
    for index, days, trigger, assessor, impacts, treatment, result, approver in _ASSESSMENTS:
        when = _ago(days)
        impact.create_assessment(
            ef,
            ids[index],
            {
                "assessed_on": when,
                "trigger": trigger,
                "assessor": assessor,
                "treatment": treatment,
                "result": result,
                "approved_by": approver,
                "approved_on": when + dt.timedelta(days=min(14, days)) if approver else None,
            },
            [
                {"scope": s, "description": d, "severity": sev, "likelihood": lik}
                for s, d, sev, lik in impacts
            ],
        )
    # Fraud detection took on card-not-present payments after its last assessment.
    inventory.update_system(
        ef,
        ids[1],
        {"intended_use": "Hold suspicious transactions for analyst review; now also "
         "card-not-present payments.", "changed_at": _ago(90)},
    )  # fmt: skip
