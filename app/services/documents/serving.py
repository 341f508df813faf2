"""The documents that serve one item (an AI system, a risk, an assessment, a checklist point,
a control): the other side of the document register's links, read with one query.

Read through Core, naming the link field, not the register: the Clauses tab asks before the
first paint, when no mapper is set up and no other area's models are loaded."""

from __future__ import annotations

from sqlalchemy import select

from app.models.document import Document
from app.services.engagement.file import EngagementFile
from app.services.registers.service import split_ids

# the document's link fields (documents.register.DOCUMENTS names them, and a test checks)
SERVES = ("points", "controls", "systems", "risks", "assessments")
_DOCS = Document.__table__


def documents_serving(ef: EngagementFile, field: str, item_id: str) -> list[tuple[str, str]]:
    """(ID, title) of every live document that names `item_id` in its link `field`."""
    column = _DOCS.c[field]
    with ef.reading() as session:
        rows = session.execute(
            select(_DOCS.c.id, _DOCS.c.title, column)
            .where(_DOCS.c.deleted.is_(False), column.contains(item_id))
            .order_by(_DOCS.c.id)
        ).all()
    return [(doc_id, title) for doc_id, title, ids in rows if item_id in split_ids(ids)]
