"""The demo client's AI systems and impact assessments, chosen so every inventory rule shows:
a model assessed only after it went live, a vendor tool never assessed, an embedded HR
screener left out of scope with no reason, an assessment overtaken by a change of use."""

from __future__ import annotations

import datetime as dt

from app.services.engagement.file import EngagementFile
from app.services.inventory import impact
from app.services.inventory import service as inventory

D = dt.date

_SYSTEMS: list[dict[str, object]] = [
    {
        "name": "Credit decisioning model",
        "description": "Gradient-boosted model scoring personal loan applications.",
        "business_owner": "Priya Shah (Chief Risk Officer)",
        "role": "both", "source": "in_house", "consequential": True,
        "intended_use": "Recommend approve, refer or decline for unsecured loans up to 25,000 EUR; "
        "underwriters decide referred cases.",
        "foreseeable_misuse": "Used for secured or business lending it was never trained on.",
        "affected_parties": "Loan applicants in the UK and Ireland",
        "ai_act_tier": "high", "ai_act_note": "Creditworthiness of natural persons (Annex III).",
        "stage": "deployed", "deployment_date": D(2024, 5, 13),
        "training_data": "Five years of loan book outcomes (2018-2023), bureau data.",
        "inference_data": "Application form, bureau report, open banking transactions.",
        "data_provenance": "Internal loan system; bureau under contract; consented open banking.",
        "data_quality": "Missing income for 4% of records, imputed.",
        "bias_checks": "Approval-rate parity by age band and sex, quarterly.",
        "human_oversight": "Underwriters review every referral and a 5% sample of declines.",
    },
    {
        "name": "Transaction fraud detection",
        "description": "Real-time scoring of card and transfer transactions.",
        "business_owner": "Marcus Lee (CIO)", "role": "both", "source": "in_house",
        "consequential": True,
        "intended_use": "Hold suspicious transactions for analyst review; now also "
        "card-not-present payments.",
        "affected_parties": "Customers making payments", "ai_act_tier": "minimal",
        "ai_act_note": "Fraud detection is carved out of the high-risk credit use case.",
        "stage": "monitoring", "deployment_date": D(2023, 11, 1),
        "human_oversight": "Analysts release or block every held transaction.",
    },
    {
        "name": "Customer service assistant",
        "description": "Chat assistant on the website and app answering account questions.",
        "business_owner": "Grace Okafor (Compliance Manager)", "role": "deployer",
        "source": "vendor", "vendor": "Conversia Ltd (HelpDesk AI)",
        "intended_use": "Answer general questions; hand over to staff for complaints and advice.",
        "foreseeable_misuse": "Customers asking it for credit advice.",
        "affected_parties": "Customers and prospects", "ai_act_tier": "limited",
        "ai_act_note": "Users must be told they are talking to an AI.",
        "stage": "deployed", "deployment_date": D(2025, 9, 1),
    },
    {
        "name": "CV screening in the HR suite",
        "description": "Ranking of job applicants, a feature switched on in the HR platform.",
        "business_owner": "Anna Kowalski (HR Director)", "role": "deployer",
        "source": "embedded", "vendor": "TalentCloud HR", "consequential": True,
        "affected_parties": "Job applicants", "ai_act_tier": "high",
        "ai_act_note": "Recruitment and selection (Annex III).",
        "stage": "deployed", "deployment_date": D(2025, 3, 1), "in_scope": False,
    },
    {
        "name": "Collections prioritisation",
        "description": "Orders overdue accounts for the collections team.",
        "business_owner": "Priya Shah (Chief Risk Officer)", "role": "both",
        "source": "acquired", "vendor": "Came with the QuickCredit Ltd acquisition (2025)",
        "consequential": True, "affected_parties": "Customers in arrears",
        "ai_act_tier": "unclassified", "stage": "monitoring", "deployment_date": D(2022, 7, 1),
    },
    {
        "name": "Marketing copy generator",
        "description": "Generative AI drafting campaign e-mails and web copy.",
        "business_owner": "Tom Becker (Head of Data Science)", "role": "deployer",
        "source": "vendor", "vendor": "CopyCraft", "ai_act_tier": "minimal",
        "stage": "deployed", "deployment_date": D(2026, 1, 15),
        "foreseeable_misuse": "Drafting personalised offers that look like credit advice.",
    },
    {
        "name": "Document OCR and classification",
        "description": "Reads payslips and bank statements uploaded by applicants.",
        "business_owner": "Tom Becker (Head of Data Science)", "role": "developer",
        "source": "in_house", "ai_act_tier": "minimal", "stage": "verification",
    },
    {
        "name": "E-mail spam filter",
        "description": "Filtering of inbound e-mail in the mail gateway.",
        "business_owner": "Marcus Lee (CIO)", "role": "deployer", "source": "embedded",
        "vendor": "MailShield", "ai_act_tier": "minimal", "stage": "deployed",
        "deployment_date": D(2021, 2, 1), "in_scope": False,
        "out_of_scope_reason": "Makes no decision about people; IT security controls cover it.",
    },
    {
        "name": "Affordability income estimator",
        "description": "Estimates disposable income from open banking data.",
        "business_owner": "Priya Shah (Chief Risk Officer)", "role": "developer",
        "source": "in_house", "consequential": True, "ai_act_tier": "high",
        "stage": "development",
    },
    {
        "name": "Legacy scorecard v1",
        "description": "Logistic scorecard replaced by the credit decisioning model.",
        "business_owner": "Priya Shah (Chief Risk Officer)", "role": "developer",
        "source": "in_house", "stage": "decommissioned", "deployment_date": D(2017, 4, 1),
        "in_scope": False,
        "out_of_scope_reason": "Switched off in May 2024; records kept for six years.",
    },
]  # fmt: skip

# (system index, date, trigger, assessor, impacts, treatment, result, approved by)
_ASSESSMENTS = [
    (0, D(2026, 2, 10), "initial", "Elena Rossi (DPO)",
     [("individuals", "Unfair declines for thin-file applicants", 4, 3),
      ("society", "Reduced access to credit in deprived postcodes", 3, 2)],
     "Add a referral band for thin files; quarterly parity review.",
     "Acceptable with treatment.", "Executive Risk Committee"),
    (1, D(2023, 10, 15), "initial", "Tom Becker",
     [("individuals", "Genuine payments blocked, customer stranded abroad", 3, 3)],
     "24/7 analyst cover; customer can release by app.", "Acceptable.", "Marcus Lee (CIO)"),
    (1, D(2025, 10, 20), "periodic", "Tom Becker",
     [("individuals", "Genuine payments blocked", 3, 2)],
     "No change.", "Acceptable.", "Marcus Lee (CIO)"),
    (2, D(2025, 8, 20), "initial", "Grace Okafor",
     [("individuals", "Wrong answer about fees misleads a customer", 2, 3),
      ("individuals", "Vulnerable customer not routed to a person", 4, 2)],
     "Disclosure banner; hand-over keywords; monthly transcript review.",
     "Acceptable with treatment.", "Customer Operations Board"),
    (6, D(2026, 10, 1), "initial", "Tom Becker",
     [("individuals", "Misread payslip leads to a wrong affordability figure", 3, 2)],
     "Confidence threshold with manual keying below it.", "Acceptable with treatment.", ""),
    (8, D(2026, 8, 12), "initial", "Elena Rossi (DPO)",
     [("individuals", "Income overstated, leading to unaffordable lending", 5, 2),
      ("society", "Household over-indebtedness", 3, 2)],
     "Cap estimate at verified payslip income.", "Go-ahead for pilot only.", ""),
]  # fmt: skip


def add_inventory(ef: EngagementFile) -> None:
    ids = [inventory.create_system(ef, values) for values in _SYSTEMS]
    for index, when, trigger, assessor, impacts, treatment, result, approver in _ASSESSMENTS:
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
                "approved_on": when + dt.timedelta(days=14) if approver else None,
            },
            [
                {"scope": s, "description": d, "severity": sev, "likelihood": lik}
                for s, d, sev, lik in impacts
            ],
        )
    # Fraud detection took on card-not-present payments after its last assessment.
    inventory.update_system(ef, ids[1], {"changed_at": D(2026, 9, 2)})
