"""The six gaps that fail certification audits, computed from the engagement's data.

Each is worked out by the area that owns the facts; this module only gathers what they find:
- `no-ai-inventory`: no live AI system recorded, or none in scope (about the whole).
- `impact-assessment-missing`: the systems in scope, not decommissioned, with no finished
  impact assessment: INV-01 (live) and INV-06 (not live yet) together. An assessment counts
  when it is approved and has impacts, a result and a treatment (impact.AssessmentRow.done):
  an approved but empty one is no evidence, so it leaves the gap open (INV-08 says why).
- `impact-assessment-after-deployment`: INV-02 as it stands. A live system in scope whose
  first finished assessment is dated after it went live is open unless it went live before
  the AIMS began and a finished assessment of trigger "Retroactive" is recorded; with no AIMS
  start date no retroactive assessment can clear it. A live system with no finished
  assessment at all is `impact-assessment-missing`, not this.
- `third-party-out-of-scope`: a vendor, embedded or acquired system left out of scope with
  no reason (INV-05), or out of scope at all while it makes or supports consequential
  decisions (unless decommissioned: it no longer decides anything).
- `competence-records-missing`: the current role holders PPL-01 finds without verified
  competence. With nobody holding an AIMS role today it is open about the whole: there is no
  competence to show, and a met gap would read as an all-clear.
- `leadership-evidence-missing`: one line per missing piece: no AI policy in force approved
  by someone holding, on the day, the authority to approve it (PPL-09's check); no management
  review held (dated today or earlier) with an attendee holding a top management role on its
  date (MRV-03's check); no role accountable for reporting the AIMS's performance (PPL-05),
  or none of those roles held by anybody today.

An empty engagement shows `no-ai-inventory`, `competence-records-missing` and
`leadership-evidence-missing` open; the rules about systems are met there, since there is no
system to flag, and `no-ai-inventory` already says so: none of them reads as an all-clear.

What it costs: the inventory rules read every live system and assessment (with its impacts)
once, the People area's analysis reads its registers once; the AI policy and the reviews are
targeted queries (the approved AI policies, the held reviews latest first until one had top
management)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Document, ManagementReview
from app.services import words
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.evaluation import figures
from app.services.evaluation.reviews import REVIEWS
from app.services.gaps import GapRule
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.inventory.service import OUTSIDE_BUILT, SystemRow
from app.services.people import authority, competence
from app.services.people.registers import HOLDERS, ROLES
from app.services.readiness import catalogue
from app.services.readiness.model import Finding
from app.services.registers.service import split_ids
from app.services.risks import service as risks

INVENTORY = "inventory"  # the tab the systems open in
# the areas as the pack's table of gaps names them, by the register an item opens in
AREAS = {"inventory": "Inventory", "role_holders": "People", "roles": "People",
         "documents": "Documents", "reviews": "Management reviews"}  # fmt: skip

# the pieces of leadership evidence that can be missing, in our words
NO_POLICY = "No AI policy approved by top management"
NO_REVIEW = "No management review held with top management attending"
NO_PERFORMANCE_ROLE = "No role accountable for reporting the AIMS's performance"
PERFORMANCE_UNHELD = "Nobody holds the role accountable for reporting the AIMS's performance"


def evaluate(ef: EngagementFile, today: dt.date | None = None) -> list[Finding]:
    """The six audit-failing gaps, in catalogue.FAILING order, read from the file."""
    today = today or dt.date.today()
    systems = inventory.list_systems(ef)
    # the risks linked to systems only matter to INV-14 and INV-15, which none of the six
    # reads: they are not loaded
    found = inventory_rules.evaluate(
        systems,
        impact.list_assessments(ef),
        (),
        risks.get_criteria(ef),
        ef.details.aims_started_on,
        today,
    )
    with ef.reading() as session:
        people = competence.analyse(session, today)
    return of(ef, systems, found, people, today)


def of(
    ef: EngagementFile,
    systems: list[SystemRow],
    found: inventory_rules.Findings,
    people: competence.Analysis,
    today: dt.date,
) -> list[Finding]:
    """The six from what the inventory and People rules found already (the dashboard's
    snapshot holds them): only the leadership evidence is read here."""
    with ef.reading() as session:
        leadership = _leadership(session, people, today)
    found_six = [
        _inventory(systems),
        _systems(catalogue.ASSESSMENT_MISSING, systems, found, "no_assessment",
                 "not_live_without_assessment"),
        _systems(catalogue.ASSESSMENT_LATE, systems, found, "assessed_after_deployment"),
        _third_party(systems, found),
        _competence(people),
        leadership,
    ]  # fmt: skip
    return [dataclasses.replace(f, area=AREAS[f.kind]) for f in found_six]


def _inventory(systems: list[SystemRow]) -> Finding:
    rule = catalogue.NO_INVENTORY
    if not systems:
        return Finding(rule, INVENTORY, whole=True, note="No AI system recorded")
    if not any(s.in_scope for s in systems):
        recorded = words.count(len(systems), "system")
        return Finding(rule, INVENTORY, whole=True, note=f"{recorded} recorded, none in scope")
    return Finding(rule, INVENTORY)


def _systems(
    rule: GapRule,
    systems: list[SystemRow],
    found: inventory_rules.Findings,
    *by_rule: str,
) -> Finding:
    """The systems the inventory rules `by_rule` flag, in the inventory's order."""
    flagged = {system_id for key in by_rule for system_id in found.by_rule[key]}
    return Finding(rule, INVENTORY, tuple(s.id for s in systems if s.id in flagged))


def _third_party(systems: list[SystemRow], found: inventory_rules.Findings) -> Finding:
    without_reason = set(found.by_rule["third_party_out_of_scope"])
    flagged = tuple(
        s.id
        for s in systems
        if s.id in without_reason
        or (
            not s.in_scope
            and s.source in OUTSIDE_BUILT
            and s.consequential
            and s.stage != "decommissioned"
        )
    )
    return Finding(catalogue.THIRD_PARTY, INVENTORY, flagged)


def _competence(people: competence.Analysis) -> Finding:
    rule = catalogue.COMPETENCE
    if not people.current_holdings:
        note = "Nobody holds an AIMS role today, so no competence can be shown"
        return Finding(rule, HOLDERS.key, whole=True, note=note)
    flagged = people.by_register[HOLDERS.key]
    unverified = tuple(
        h for h in people.current_holdings if competence.UNVERIFIED.id in flagged.get(h, ())
    )
    return Finding(rule, HOLDERS.key, unverified)


def _leadership(session: Session, people: competence.Analysis, today: dt.date) -> Finding:
    missing: list[tuple[str, str]] = []  # (what, the register it opens in)
    if not _policy_approved(session, today):
        missing.append((NO_POLICY, DOCUMENTS.key))
    if not _review_with_top_management(session, today):
        missing.append((NO_REVIEW, REVIEWS.key))
    if people.performance_gap:
        missing.append((NO_PERFORMANCE_ROLE, ROLES.key))
    elif not people.performance_held:
        missing.append((PERFORMANCE_UNHELD, ROLES.key))
    kind = missing[0][1] if missing else DOCUMENTS.key
    return Finding(catalogue.LEADERSHIP, kind, tuple(what for what, _ in missing), by_id=False)


def _policy_approved(session: Session, today: dt.date) -> bool:
    """An AI policy in force (approved, neither superseded nor withdrawn) whose approver held
    the authority to approve it on the day (what PPL-09 checks)."""
    d = Document
    rows = session.execute(
        select(d.id, d.approved_by, d.approved_on).where(
            d.deleted.is_(False),
            d.ai_policy.is_(True),
            d.status == "approved",
            func.trim(d.approved_by) != "",
            d.approved_on.is_not(None),
            d.approved_on <= today,
        )
    ).all()
    if not rows:
        return False
    checker = authority.Checker(session)
    return any(checker.check("policy", did, str(by).strip(), on) is None for did, by, on in rows)


def _review_with_top_management(session: Session, today: dt.date) -> bool:
    """A review held (dated today or earlier) with an attendee holding a top management role
    on its date (what MRV-03 checks), latest first."""
    r = ManagementReview.__table__.c
    query = (
        select(r.held_on, r.attendees)
        .where(r.deleted.is_(False), r.held_on.is_not(None), r.held_on <= today)
        .order_by(r.held_on.desc())
    )
    # read whole before returning early: a result left half read keeps its statement open,
    # and with it the file's shared lock, so the next save waits and fails
    for held_on, attendees in session.execute(query).all():
        if figures.top_management_on(session, split_ids(attendees), held_on):
            return True
    return False
