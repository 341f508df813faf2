"""The Statement of Applicability in the pack, with the changes since the issued version."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Spacer,
    Table,
)

from app.services import words
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import (
    Ctx,
    Spec,
    field_columns,
    field_values,
    flag_text,
    item_list,
)
from app.services.pack.style import (
    ALERT,
    Column,
    box_style,
)
from app.services.soa import service as soa

# Statement of Applicability


def soa_section(c: Ctx) -> list[Flowable]:
    d = c.data
    fields = soa.FIELDS
    issued = d.soa_issued
    lines = d.soa_lines
    title = pack_settings.SECTIONS["soa"]
    out = [*c.h1(title if issued else f"{title} (draft)", wide=True)]
    if issued:
        banner = (
            f"Issued version {issued.number}, issued {issued.issued_on.isoformat()} and "
            f"approved by {issued.approved_by}. "
            + (
                f"The draft has {words.count(len(d.soa_changes), 'change')} since; they are listed "
                "after the table."
                if d.soa_changes
                else "The draft has not changed since."
            )
        )
    else:
        banner = (
            "DRAFT: no version of the Statement of Applicability has been issued yet. This is "
            "the working draft as it stands today."
        )
    out.append(
        Table(
            [[c.p(banner, c.st.body)]],
            colWidths=[c.width],
            style=box_style(
                ("LINEBEFORE", (0, 0), (0, -1), 3, c.st.accent if issued else ALERT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f7f9fa")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ),
        )
    )
    out.append(Spacer(1, 3 * mm))
    flags = soa.flags_by_control(soa.evaluate(list(lines), d.soa_selected))
    spec: list[Spec] = [(("status", "target_date"), 1.2), ("owner", 1.2), ("evidence", 1.2)]
    columns = [
        Column("Control", 0.8),
        Column("Title", 1.5),
        Column(f"{fields['decision'].label} / Reasons", 1.2),
        Column("Reason or justification", 1.7),
        *field_columns(fields, [("implementation", 2.2)]),
        *field_columns(fields, spec),
        Column("Selected by risks", 0.9),
        *([Column("Gaps", 1.2)] if c.gaps else []),
    ]
    rows = (
        [
            x.control_id,
            f"{x.title}\n(beyond Annex A; source: {x.source})" if x.additional else x.title,
            "\n".join(v for v in (fields["decision"].label_of(x.decision), x.reasons()) if v),
            x.justification if x.decision == "excluded" else x.reason_text,
            x.implementation if x.decision == "included" else "",
            *field_values(x, fields, spec),
            item_list([rid for rid, _ in d.soa_selected.get(x.control_id, ())]),
            *([flag_text(soa.RULES, flags.get(x.control_id, ()))] if c.gaps else []),
        ]
        for x in lines
    )
    out += c.table(columns, rows)
    if issued and d.soa_changes:
        out += c.h2(f"Changes in the draft since version {issued.number}")
        change_cols = [Column("Control", 0.9), Column("Field", 1.8), Column("Was", 3.0),
                       Column("Now", 3.0)]  # fmt: skip
        out += c.table(change_cols, ((x.control_id, x.field, x.old, x.new) for x in d.soa_changes))
    return out
