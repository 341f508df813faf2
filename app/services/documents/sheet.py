"""The Documents sheet of the workbook: the register's columns, then the attached files for
reference (names, sizes, SHA-256). The files themselves stay in the engagement: the client
reads what is attached and never sends bytes back through the sheet."""

from __future__ import annotations

import dataclasses

from app.services.documents import attachments
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.registers.sheet import area_of
from app.services.workbook.areas import Area, Column, Row

_REGISTER = area_of(DOCUMENTS)


def _load(ef: EngagementFile) -> dict[str, Row]:
    rows = _REGISTER.load(ef)
    files: dict[str, list[str]] = {}
    for a in attachments.list_attachments(ef):
        files.setdefault(a.document_id, []).append(
            f"{a.name} ({a.size:,} bytes, SHA-256 {a.sha256})"
        )
    for item_id, row in rows.items():
        row["attached"] = "\n".join(files.get(item_id, ()))
    return rows


DOCUMENTS_SHEET: Area = dataclasses.replace(
    _REGISTER,
    columns=(
        *_REGISTER.columns,
        Column("attached", "Attached files (kept in the engagement; not imported)", width=60),
    ),
    load=_load,
)
