"""What `status` says of the documented information: the register, its attachments (each
re-checked against its SHA-256), the mandatory checklist and the AI policy."""

from __future__ import annotations

from typing import Any

from app.services import words
from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.progress import finish
from app.services.registers import service as register
from app.services.registers.description import Item


def ai_policy_approved(items: list[Item]) -> bool:
    """A live AI policy, approved, with the approver and the date recorded."""
    return any(
        i.values["ai_policy"]
        and i.values["status"] == "approved"
        and str(i.values["approved_by"]).strip()
        and i.values["approved_on"] is not None
        for i in items
    )


def summary(ef: EngagementFile, check_attachments: bool = True) -> dict[str, Any]:
    """`check_attachments` False (the window's running count): every attachment is not
    re-read on each edit, and `hash_mismatches` is None (not checked)."""
    items = register.list_items(ef, DOCUMENTS)
    count, size = attachments.totals(ef)
    return {
        **register.counts(DOCUMENTS, items),
        "attachments": count,
        "attachment_bytes": size,
        "hash_mismatches": len(finish(attachments.verify(ef))) if check_attachments else None,
        **mandatory.counts(mandatory.list_entries(ef)),
        "ai_policy_approved": ai_policy_approved(items),
    }


def as_text(data: dict[str, Any]) -> str:
    policy = "approved" if data["ai_policy_approved"] else "NOT approved (or none marked)"
    mismatches = data["hash_mismatches"]
    checked = "not checked" if mismatches is None else f"{mismatches} failing the SHA-256 check"
    return (
        f"Documents:   {words.count(data['total'], 'document')}, "
        f"{words.count(data['attachments'], 'attachment')} "
        f"({data['attachment_bytes']:,} bytes, {checked}); "
        f"{data['review_overdue']} past review, {data['unapproved']} in force unapproved, "
        f"{data['approval_incomplete']} approved with no approver or date; "
        f"mandatory: {data['mandatory_missing']} of {data['mandatory_total']} missing "
        f"({data['mandatory_draft_only']} only a draft), "
        f"{data['mandatory_not_required']} not required; AI policy {policy}"
    )
