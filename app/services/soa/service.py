"""The Statement of Applicability (6.1.3): every Annex A control included, excluded or not yet
decided, why, how far implemented, by whom; checked against the risk register; issued as
numbered, dated, approved versions that stay readable after later edits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import SoaEntry, SoaVersion
from app.services import words
from app.services.engagement import history
from app.services.engagement.errors import DamagedFileError, FieldError
from app.services.engagement.fields import FieldSpec, parse_date
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.soa import additional

ENTITY = "soa"
DECISIONS = {"undecided": "Undecided", "included": "Included", "excluded": "Excluded"}
STATUSES = {
    "not_started": "Not started",
    "planned": "Planned",
    "partial": "Partially implemented",
    "implemented": "Implemented",
}
REASONS = {
    "reason_risk_treatment": "Risk treatment",
    "reason_legal": "Legal or regulatory",
    "reason_contractual": "Contractual",
    "reason_business": "Business or best practice",
    "reason_other": "Other",
}
FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("decision", "Decision", "choice", DECISIONS),
        *(FieldSpec(name, f"Reason: {label}", "bool") for name, label in REASONS.items()),
        FieldSpec("reason_text", "Reason for inclusion", "long"),
        FieldSpec("justification", "Justification for exclusion", "long"),
        FieldSpec("status", "Implementation status", "choice", STATUSES),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("target_date", "Target date", "date"),
        FieldSpec("evidence", "Evidence references", "long"),
        # Last, so the columns of workbooks exported before it stay where they were.
        FieldSpec("implementation", "Implementation description", "long"),
    )
}
RULES = {
    "excluded_without_justification": GapRule(
        "SOA-01", "Excluded with no justification", "6.1.3", "major",
        todo="Write why the control does not apply to the organization (SoA tab, "
        "Justification for exclusion), or include it.",
    ),
    "undecided": GapRule(
        "SOA-02", "Not decided yet", "6.1.3", "minor",
        todo="Decide whether the control is included or excluded, and say why (SoA tab, "
        "Decision).",
    ),
    "contradiction": GapRule(
        "SOA-03", "Selected by a risk treatment, but excluded", "6.1.3", "major",
        todo="Include the control a risk treatment relies on, or change that risk's treatment "
        "so it no longer names the control.",
    ),
    "included_without_owner": GapRule(
        "SOA-04", "Included, with no owner", "5.3", "minor",
        todo="Name who is responsible for the control (SoA tab, Set owner…).",
    ),
    "implemented_without_evidence": GapRule(
        "SOA-05", "Marked implemented, with no evidence", "7.5", "minor",
        todo="Say where the proof of the control is (SoA tab, Evidence references), or mark "
        "it Partially implemented until there is some.",
    ),
    "included_without_reason": GapRule(
        "SOA-06", "Included, with no reason for the inclusion", "6.1.3", "minor",
        todo="Tick why the control is included (risk treatment, legal, contractual, business) "
        "or write the reason (SoA tab).",
    ),
    "excluded_but_implemented": GapRule(
        "SOA-07", "Excluded, yet marked implemented", "6.1.3", "minor",
        todo="Include the control if it is in place, or correct its implementation status.",
    ),
    "reason_without_risk": GapRule(
        "SOA-08", "Risk treatment given as reason, but no risk selects it", "6.1.3", "minor",
        todo="Link the control to the risk it treats (Risks tab), or untick Risk treatment "
        "as its reason.",
    ),
    "risk_without_reason": GapRule(
        "SOA-09",
        "Selected by a risk treatment, but risk treatment not given as reason",
        "6.1.3",
        "minor",
        todo="Tick Risk treatment as a reason for the control (SoA tab).",
    ),
    "same_reason": GapRule(
        "SOA-10", "The same reason on many controls", "6.1.3", "observation",
        todo="Write for each control why it is included or excluded in this organization, not "
        "one text copied down the list.",
    ),
}  # fmt: skip
# "The same reason on N controls" is shown from this many lines sharing one text: a reason
# copied down the sheet tells an auditor nobody thought about each control.
SAME_REASON_FROM = 5


@dataclass(frozen=True)
class SoaLine:
    control_id: str
    objective: str
    title: str
    decision: str
    reason_risk_treatment: bool
    reason_legal: bool
    reason_contractual: bool
    reason_business: bool
    reason_other: bool
    reason_text: str
    justification: str
    status: str
    owner: str
    target_date: dt.date | None
    evidence: str
    implementation: str = ""  # a version issued before format 6 has none
    source: str = ""  # where a control beyond Annex A comes from; "" for Annex A

    @property
    def additional(self) -> bool:
        return bool(self.source)

    @property
    def id(self) -> str:  # tables key rows by `id`
        return self.control_id

    def decided_text(self) -> str:
        """The reason of an inclusion or the justification of an exclusion."""
        if self.decision == "excluded":
            return self.justification
        return self.reason_text if self.decision == "included" else ""

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FIELDS}

    def reasons(self) -> str:
        return ", ".join(label for name, label in REASONS.items() if getattr(self, name))


@dataclass(frozen=True)
class IssuedVersion:
    number: int
    issued_on: dt.date
    approved_by: str
    lines: tuple[SoaLine, ...]


def _blank(control_id: str) -> dict[str, object]:
    values: dict[str, object] = {name: False for name in REASONS}
    values.update(
        decision="undecided",
        reason_text="",
        justification="",
        status="not_started",
        owner="",
        target_date=None,
        evidence="",
        implementation="",
    )
    values["control_id"] = control_id
    return values


# the objective a control beyond Annex A is listed under
ADDITIONAL = "Beyond Annex A"


def list_lines(ef: EngagementFile) -> list[SoaLine]:
    """The 38 Annex A lines in catalog order, then the controls beyond Annex A by ID."""
    with ef.reading() as session:
        stored = {e.control_id: e for e in session.scalars(select(SoaEntry))}
    lines = []
    controls = [(c.id, c.objective, c.title, "") for c in ef.catalog.controls]
    controls += [(a.id, ADDITIONAL, a.title, a.source) for a in additional.list_additional(ef)]
    for control_id, objective, title, source in controls:
        entry = stored.get(control_id)
        values = {n: getattr(entry, n) for n in FIELDS} if entry else _blank(control_id)
        values.pop("control_id", None)
        lines.append(SoaLine(control_id, objective, title, **values, source=source))
    return lines


def _unknown(control_ids: Iterable[str]) -> FieldError:
    return FieldError(
        "control",
        f"{', '.join(control_ids)} is not an Annex A control, nor an additional control of "
        "this SoA.",
    )


def get_line(ef: EngagementFile, control_id: str) -> SoaLine:
    for line in list_lines(ef):
        if line.control_id == control_id:
            return line
    raise _unknown([control_id])


def set_values(ef: EngagementFile, field: str, values: Mapping[str, object]) -> dict[str, object]:
    """Set one field on several controls in one transaction; returns the old values."""
    spec = FIELDS.get(field)
    if spec is None:
        raise FieldError(field, f"'{field}' is not a field of the Statement of Applicability.")
    unknown = [c for c in values if c not in ef.catalog.control_by_id]
    if unknown:  # a control beyond Annex A (read only when one is named)
        known = additional.control_ids(ef)
        unknown = [c for c in unknown if c not in known]
    if unknown:
        raise _unknown(unknown)
    coerced = {c: spec.coerce(v) for c, v in values.items()}
    with ef.writing() as session:
        return write(session, ef.actor, field, coerced)


def write(
    session: Session, actor: str, field: str, coerced: Mapping[str, object]
) -> dict[str, object]:
    """Write checked values inside the caller's transaction, with their history; the old
    values come back. The checklist writes a control's status through here too."""
    old: dict[str, object] = {}
    for control_id, value in coerced.items():
        entry = session.get(SoaEntry, control_id)
        if entry is None:
            entry = SoaEntry(**_blank(control_id))
            session.add(entry)
        previous = getattr(entry, field)
        old[control_id] = previous
        if previous != value:
            setattr(entry, field, value)
            history.record(session, actor, ENTITY, control_id, field, previous, value)
    return old


def risks_by_control(ef: EngagementFile) -> dict[str, list[tuple[str, str]]]:
    """(risk ID, title) of the live risks whose treatment selected each control."""
    # The risk models load here, not with this module: the checklist uses it on the first page.
    from app.models import Risk, RiskControl

    query = (
        select(RiskControl.control_id, Risk.id, Risk.title)
        .join(Risk, Risk.id == RiskControl.risk_id)
        .where(Risk.deleted.is_(False))
        .order_by(Risk.id)
    )
    found: dict[str, list[tuple[str, str]]] = {}
    with ef.reading() as session:
        for control_id, risk_id, title in session.execute(query):
            found.setdefault(control_id, []).append((risk_id, title))
    return found


def evaluate(lines: list[SoaLine], selected_by_risks: Mapping[str, object]) -> dict[str, list[str]]:
    """Control IDs flagged by each rule."""
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    for line in lines:
        if line.decision == "excluded" and not line.justification.strip():
            found["excluded_without_justification"].append(line.control_id)
        if line.decision == "undecided":
            found["undecided"].append(line.control_id)
        if line.decision == "excluded" and line.control_id in selected_by_risks:
            found["contradiction"].append(line.control_id)
        if line.decision == "included" and not line.owner.strip():
            found["included_without_owner"].append(line.control_id)
        if line.status == "implemented" and not line.evidence.strip():
            found["implemented_without_evidence"].append(line.control_id)
        if line.decision == "included" and not (line.reasons() or line.reason_text.strip()):
            found["included_without_reason"].append(line.control_id)
        if line.decision == "excluded" and line.status == "implemented":
            found["excluded_but_implemented"].append(line.control_id)
        if line.reason_risk_treatment and line.control_id not in selected_by_risks:
            found["reason_without_risk"].append(line.control_id)
        if (
            line.decision == "included"
            and line.control_id in selected_by_risks
            and not line.reason_risk_treatment
        ):
            found["risk_without_reason"].append(line.control_id)
    shared = shared_reasons(lines)
    found["same_reason"] = [x.control_id for x in lines if _said(x) in shared]
    return found


def _said(line: SoaLine) -> str:
    return " ".join(line.decided_text().lower().split())


def shared_reasons(lines: Iterable[SoaLine]) -> dict[str, int]:
    """Reason or justification texts (read loosely) given on SAME_REASON_FROM lines or more,
    with how many lines give each."""
    counts: dict[str, int] = {}
    for line in lines:
        text = _said(line)
        if text:
            counts[text] = counts.get(text, 0) + 1
    return {text: n for text, n in counts.items() if n >= SAME_REASON_FROM}


def same_reason_count(lines: Iterable[SoaLine], line: SoaLine) -> int:
    """On how many lines the reason of `line` is given (0 when it is not a shared one)."""
    return shared_reasons(lines).get(_said(line), 0)


def flags_by_control(found: Mapping[str, list[str]]) -> dict[str, list[str]]:
    flags: dict[str, list[str]] = {}
    for rule, ids in found.items():
        for control_id in ids:
            flags.setdefault(control_id, []).append(rule)
    return flags


# issued versions

# what stops an issue: rule -> how the refusal names the controls it finds
BLOCKING = {
    "undecided": ("control", "not decided yet"),
    "excluded_without_justification": ("exclusion", "with no justification"),
    "contradiction": ("control", "selected by a risk treatment but excluded"),
}


def blocking(lines: list[SoaLine], selected_by_risks: Mapping[str, object]) -> dict[str, list[str]]:
    """The controls that stop the SoA from being issued, by rule (only rules finding some):
    a version must decide every control, justify every exclusion and agree with the risk
    register."""
    found = evaluate(lines, selected_by_risks)
    return {rule: found[rule] for rule in BLOCKING if found[rule]}


def blocking_message(blocked: Mapping[str, list[str]]) -> str:
    """The refusal in words: how many, and which, for each reason."""
    parts = []
    for rule, control_ids in blocked.items():
        noun, what = BLOCKING[rule]
        parts.append(f"{words.count(len(control_ids), noun)} {what}: {', '.join(control_ids)}")
    return "The SoA cannot be issued yet. " + "; ".join(parts) + "."


def check_issuable(lines: list[SoaLine], selected_by_risks: Mapping[str, object]) -> None:
    blocked = blocking(lines, selected_by_risks)
    if blocked:
        field = "justification" if "excluded_without_justification" in blocked else "decision"
        raise FieldError(field, blocking_message(blocked))


def _frozen(lines: list[SoaLine]) -> str:
    return json.dumps([asdict(line) for line in lines], default=str, ensure_ascii=False)


def _thawed(text: str) -> tuple[SoaLine, ...]:
    try:
        rows = json.loads(text)
        for row in rows:
            day = row["target_date"]
            row["target_date"] = dt.date.fromisoformat(day) if day else None
        return tuple(SoaLine(**row) for row in rows)
    except (ValueError, KeyError, TypeError) as exc:
        raise DamagedFileError(
            f"An issued version of the SoA stored in this engagement is damaged ({exc})."
        ) from exc


def _state(lines: Iterable[SoaLine]) -> dict[str, dict[str, object]]:
    """What an issue freezes that the consultant decides: the catalog's titles are not part
    of it, so a catalog upgrade alone makes no new version."""
    return {line.control_id: line.values() for line in lines}


def last_issued(ef: EngagementFile) -> IssuedVersion | None:
    with ef.reading() as session:
        row = session.scalars(select(SoaVersion).order_by(SoaVersion.number.desc())).first()
        if row is None:
            return None
        return IssuedVersion(row.number, row.issued_on, row.approved_by, _thawed(row.content))


def get_issued(ef: EngagementFile, number: int) -> IssuedVersion:
    with ef.reading() as session:
        row = session.get(SoaVersion, number)
        if row is None:
            raise FieldError("version", f"There is no issued version {number}.")
        return IssuedVersion(row.number, row.issued_on, row.approved_by, _thawed(row.content))


@dataclass(frozen=True)
class Change:
    control_id: str
    field: str
    old: str
    new: str


def changes_since_issued(ef: EngagementFile, lines: list[SoaLine] | None = None) -> list[Change]:
    """What the draft changes against the last issued version (every line when none is)."""
    lines = lines if lines is not None else list_lines(ef)
    issued = last_issued(ef)
    before = {line.control_id: line for line in issued.lines} if issued else {}
    changes = [
        Change(
            control_id,
            "Control",
            "in the issued version",
            "deleted" if before[control_id].additional else "no longer in the catalog",
        )
        for control_id in sorted(before.keys() - {line.control_id for line in lines})
    ]
    for line in lines:
        old = before.get(line.control_id)
        if old is None and line.additional:
            changes.append(
                Change(line.control_id, "Control", "", f"added beyond Annex A ({line.source})")
            )
        for name, spec in FIELDS.items():
            new_value = getattr(line, name)
            old_value = getattr(old, name) if old else None
            if old is None or old_value != new_value:
                if old is None and new_value in ("", False, None, "undecided", "not_started"):
                    continue
                changes.append(
                    Change(
                        line.control_id,
                        spec.label,
                        spec.label_of(old_value),
                        spec.label_of(new_value),
                    )
                )
    return changes


def issue(ef: EngagementFile, approved_by: str, issued_on: object = None) -> int:
    """Freeze the draft as the next numbered version. Refused, with what to fix, while the
    draft is not complete (see `blocking`); refused when nothing changed since the last
    version."""
    approved = str(approved_by or "").strip()
    if not approved:
        raise FieldError("approved_by", "Say who approved this version of the SoA.")
    day = parse_date("issued_on", issued_on, "Issued on") or dt.date.today()
    lines = list_lines(ef)
    check_issuable(lines, risks_by_control(ef))
    issued = last_issued(ef)
    if issued is not None and _state(issued.lines) == _state(lines):
        raise FieldError(
            "version", f"Nothing changed since version {issued.number}; no new version."
        )
    with ef.writing() as session:
        number = (session.scalar(select(func.max(SoaVersion.number))) or 0) + 1
        session.add(
            SoaVersion(
                number=number,
                issued_on=day,
                approved_by=approved,
                content=_frozen(lines),
                created_at=history.now(),
            )
        )
        history.record(
            session,
            ef.actor,
            ENTITY,
            "SoA",
            "issued version",
            None,
            f"{number} ({day.isoformat()}, approved by {approved})",
        )
    return number


def summary(ef: EngagementFile) -> dict[str, Any]:
    lines = list_lines(ef)
    found = evaluate(lines, risks_by_control(ef))
    issued = last_issued(ef)
    return {
        "controls": len(lines),
        "included": sum(1 for x in lines if x.decision == "included"),
        "excluded": sum(1 for x in lines if x.decision == "excluded"),
        "undecided": len(found["undecided"]),
        "excluded_without_justification": len(found["excluded_without_justification"]),
        "contradictions": len(found["contradiction"]),
        "included_without_owner": len(found["included_without_owner"]),
        "implemented_without_evidence": len(found["implemented_without_evidence"]),
        "included_without_reason": len(found["included_without_reason"]),
        "excluded_but_implemented": len(found["excluded_but_implemented"]),
        "reason_without_risk": len(found["reason_without_risk"]),
        "risk_without_reason": len(found["risk_without_reason"]),
        "same_reason": len(found["same_reason"]),
        "additional_controls": sum(1 for x in lines if x.additional),
        "implemented": sum(1 for x in lines if x.status == "implemented"),
        "issued_version": issued.number if issued else None,
    }


def history_of(ef: EngagementFile, control_id: str, limit: int = 50) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, control_id, limit)
