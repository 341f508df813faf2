"""The context of the organization in the pack: issues, interested parties with their
requirements, obligations, and the answer on climate change."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.services.context import climate
from app.services.context.registers import ISSUES, OBLIGATIONS, PARTIES, REQUIREMENTS
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.registers.pack import register_table, summary_line


def context_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["context"], wide=True)]
    parties = {p.id: f"{p.id} {p.values['name']}" for p in d.registers.get(PARTIES.key, [])}
    for reg in (ISSUES, PARTIES, REQUIREMENTS, OBLIGATIONS):
        items = d.registers.get(reg.key, [])
        out += c.h2(f"{reg.name} (clause {reg.clause})")
        if items:
            out.append(c.p(summary_line(reg, items, c.gaps) + "."))
        out += register_table(c, reg, items, parties if reg is REQUIREMENTS else None)
    out += c.h2("Climate change")
    answer = d.climate
    if answer.climate_change == "yes" and answer.considered:
        out.append(c.p(f"Climate change is considered as an issue: {answer.climate_issue}."))
    elif answer.climate_change == "no" and answer.considered:
        out.append(c.p(f"Climate change is not a relevant issue: {answer.climate_reason}"))
    else:
        out.append(
            c.absent(
                "Whether climate change is a relevant issue has not been recorded.",
                f"Auditors ask every organization ({climate.RULE.id}, clause "
                f"{climate.RULE.ref}): {answer.problem()}",
            )
        )
    return out
