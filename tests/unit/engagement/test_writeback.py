"""Pushing a long write's pages to disk behind it: a head start, never a condition."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.services.documents import attachments
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import create_engagement, open_engagement
from app.services.engagement.writeback import Writeback
from app.services.progress import finish
from app.services.registers import service as register


def test_a_file_that_cannot_be_synced_is_left_to_the_commit(tmp_path: Path) -> None:
    with Writeback(tmp_path / "not-there.aims") as behind:
        behind.nudge()  # nothing to sync, nothing raised


def test_a_new_engagement_stores_a_large_attachment_whole(tmp_path: Path) -> None:
    source = tmp_path / "scan.bin"
    source.write_bytes(bytes(range(256)) * (9 << 12))  # 9 MiB: three chunks, synced behind
    path = tmp_path / "e.aims"
    with create_engagement(path, client="Client", size="small") as ef:
        doc = register.create(ef, DOCUMENTS, {"title": "Scan"})
        stored = finish(attachments.attach(ef, doc, source))
    with open_engagement(path, read_only=True) as ef:
        [row] = attachments.list_attachments(ef, doc)
        assert (row.size, row.sha256) == (9 << 20, hashlib.sha256(source.read_bytes()).hexdigest())
        assert row == stored
        assert finish(attachments.verify(ef)) == []
