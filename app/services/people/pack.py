"""People and competence in the pack: the AIMS roles with who holds them and whether each
holder was verified competent, the competence gaps, and who acknowledged the AI policy."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.services import words
from app.services.documents.register import DOCUMENTS
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.pack.style import Column
from app.services.people import competence
from app.services.people.registers import (
    ACKNOWLEDGEMENTS,
    HOLDERS,
    PEOPLE,
    REGISTERS,
    ROLE_COMPETENCES,
    ROLES,
    TRAINING,
    VERIFICATIONS,
)
from app.services.registers.pack import register_table, summary_line


def people_section(c: Ctx) -> list[Flowable]:
    d, found = c.data, c.data.people
    out = [*c.h1(pack_settings.SECTIONS["people"], wide=True)]
    people = {p.id: str(p.values["name"]) for p in d.registers.get(PEOPLE.key, [])}
    roles = d.registers.get(ROLES.key, [])
    holders = d.registers.get(HOLDERS.key, [])
    out.append(
        c.p(
            f"{words.count(len(people), 'person', 'people')}, "
            f"{words.count(len(roles), 'AIMS role')}, "
            f"{words.count(len(found.current_holdings), 'role holding')} today."
        )
    )

    out += c.h2(f"AIMS roles and their holders (clause {ROLES.clause})")
    if found.performance_gap:
        rule = competence.NO_PERFORMANCE_ROLE
        out.append(
            c.absent(
                "No role is accountable for reporting the AIMS's performance to top management.",
                f"Mark the role that reports it ({rule.id}, clause {rule.ref}).",
            )
        )
    if not roles:
        out.append(c.absent("No AIMS roles recorded.", "Record them on the People tab."))
    else:
        current = set(found.current_holdings)
        rows = []
        for role in roles:
            held = [h for h in holders if h.values["role"] == role.id and h.id in current]
            holder_lines = [
                f"{people.get(str(h.values['person']), h.values['person'])}: "
                + ("verified" if h.id in found.verified_holdings else "not verified")
                for h in held
            ]
            extra = " (reports AIMS performance)" if role.values["reports_performance"] else ""
            rows.append(
                [
                    f"{role.id} {role.values['title']}{extra}",
                    ROLES.spec["authorities"].label_of(role.values["authorities"]) or "None",
                    "\n".join(holder_lines) or "Nobody holds it",
                ]
            )
        columns = [Column("Role", 2.2), Column("Authorities", 2.4), Column("Held by today", 2.4)]
        out += c.table(columns, rows)

    out += c.h2(f"Competence (clause {ROLE_COMPETENCES.clause})")
    gaps = [
        (h, found.holder_state.get(h.id, ""))
        for h in holders
        if h.id in found.holder_state and h.id not in found.verified_holdings
    ]
    role_names = {r.id: str(r.values["title"]) for r in roles}
    if gaps:
        rule = competence.UNVERIFIED
        out.append(
            c.p(
                f"{words.count(len(gaps), 'role holder')} not verified competent for what "
                f"their role requires ({rule.id}):"
            )
        )
        rows = [
            [
                h.id,
                str(people.get(str(h.values["person"]), h.values["person"])),
                f"{h.values['role']} {role_names.get(str(h.values['role']), '')}".strip(),
                state,
            ]
            for h, state in gaps
        ]
        columns = [
            Column("ID", 0.8),
            Column("Person", 1.6),
            Column("Role", 1.8),
            Column("What is missing", 3),
        ]
        out += c.table(columns, rows)
    elif found.current_holdings:
        out.append(c.p("Every role holder is verified competent for what their role requires."))
    named = _named(c)
    for reg in (ROLE_COMPETENCES, TRAINING, VERIFICATIONS):
        items = d.registers.get(reg.key, [])
        out += c.h2(f"{reg.name} (clause {reg.clause})")
        if items:
            out.append(c.p(summary_line(reg, items, c.gaps) + "."))
        out += register_table(c, reg, items, named)

    out += c.h2(f"Awareness of the AI policy (clause {ACKNOWLEDGEMENTS.clause})")
    if found.policies:
        out.append(
            c.p(
                "The AI policy as it stands: "
                + ", ".join(f"{i} version {v}" for i, v in found.policies.items())
                + "."
            )
        )
    else:
        out.append(
            c.absent(
                "No document is marked as the AI policy.",
                "Mark it in the document register, then record who acknowledged it.",
            )
        )
    unaware = [pid for pid, rules in found.by_register["people"].items() if rules]
    if unaware:
        rule = competence.NO_ACKNOWLEDGEMENT
        out.append(
            c.absent(
                f"{words.count(len(unaware), 'role holder')} with no acknowledgement of the "
                "current AI policy: "
                + ", ".join(f"{p} {people.get(p, '')}" for p in unaware)
                + ".",
                f"Record their acknowledgement ({rule.id}, clause {rule.ref}).",
            )
        )
    acks = d.registers.get(ACKNOWLEDGEMENTS.key, [])
    out += register_table(c, ACKNOWLEDGEMENTS, acks, named)
    return out


def _named(c: Ctx) -> dict[str, str]:
    """How the IDs in the link fields read in the tables: "PER-001 Dana Whitfield"."""
    shown: dict[str, str] = {}
    for reg in (*REGISTERS, DOCUMENTS):
        for item in c.data.registers.get(reg.key, []):
            shown[item.id] = f"{item.id} {item.values[reg.name_field]}"
    return shown
