"""A new version of a document: a new item that names the one it supersedes. The old one stays
readable and in force until the consultant marks it superseded (when the new one is approved);
the mandatory entries linked to the old one follow to the newest approved version."""

from __future__ import annotations

from app.services.documents.register import DOCUMENTS, new_version_values
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.registers import service as register


def new_version(ef: EngagementFile, document_id: str, version: str, new_id: str = "") -> str:
    """The new version's ID: a draft with the old one's fields, superseding it."""
    old = register.get_item(ef, DOCUMENTS, document_id)
    if old.deleted:
        raise FieldError("id", f"There is no document {document_id}.")
    wanted = version.strip()
    if not wanted:
        raise FieldError("version", "Give the new version's number, e.g. 2.0.")
    if wanted == str(old.values["version"]).strip():
        raise FieldError("version", f"{document_id} is already version {wanted}; give the new one.")
    return register.create(ef, DOCUMENTS, {**new_version_values(old, wanted), "id": new_id})
