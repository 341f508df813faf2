"""The documents that serve one item (an AI system, a risk, an assessment, a checklist point,
a control): the other side of the document register's links, read with one query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import Document
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.registers.service import split_ids

# the model whose IDs a link field holds -> that field (a document's own "supersedes" aside)
_FIELD_OF = {link.model: link.field for link in DOCUMENTS.links if link.model is not Document}


def documents_serving(ef: EngagementFile, model: type[Any], item_id: str) -> list[tuple[str, str]]:
    """(ID, title) of every live document that names `item_id` in its link to `model`."""
    column = getattr(Document, _FIELD_OF[model])
    with ef.reading() as session:
        rows = session.execute(
            select(Document.id, Document.title, column)
            .where(Document.deleted.is_(False), column.contains(item_id))
            .order_by(Document.id)
        ).all()
    return [(doc_id, title) for doc_id, title, ids in rows if item_id in split_ids(ids)]
