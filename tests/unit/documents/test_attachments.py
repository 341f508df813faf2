"""Attachments kept inside the engagement: stored in chunks with their SHA-256, checked on
demand, exported without ever leaving the chosen folder or replacing a file, and refused with
a clear message (nothing half-stored) when the file cannot be attached."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.services.documents import attachments
from app.services.documents.attachments import AttachmentError, AttachmentRow
from app.services.documents.register import DOCUMENTS
from app.services.progress import finish
from app.services.registers import service as register


@pytest.fixture
def doc(new_file):
    return register.create(new_file, DOCUMENTS, {"title": "AI risk methodology"})


def _attach(ef, doc_id, path, **kw):
    return finish(attachments.attach(ef, doc_id, path, **kw))


def _rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM attachment").fetchone()[0], conn.execute(
            "SELECT count(*) FROM attachment_chunk"
        ).fetchone()[0]


def test_attach_stores_chunks_with_size_hash_and_media_type(new_file, doc, tmp_path):
    data = os.urandom(attachments.CHUNK * 2 + 123)
    source = tmp_path / "method.pdf"
    source.write_bytes(data)
    row = _attach(new_file, doc, source)
    assert (row.name, row.size, row.media_type) == ("method.pdf", len(data), "application/pdf")
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert _rows(new_file.path) == (1, 3)
    assert attachments.totals(new_file) == (1, len(data))
    assert finish(attachments.verify(new_file)) == []


def test_attach_reports_progress_and_cancel_stores_nothing(new_file, doc, tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(attachments.CHUNK * 3))
    steps = attachments.attach(new_file, doc, source)
    assert next(steps) == (attachments.FIRST, attachments.CHUNK * 3, "Attaching big.bin")
    steps.close()  # what Cancel does
    assert _rows(new_file.path) == (0, 0)
    assert attachments.list_attachments(new_file) == []


@pytest.mark.parametrize(
    "name, message",
    [
        ("CON.txt", "Windows cannot use"),
        ("report.", "Windows cannot use"),
        ("a\\b.txt", "path separator"),
        ("line\nbreak.txt", "control characters"),
    ],
)
def test_attach_refuses_names_another_system_would_misread(new_file, doc, tmp_path, name, message):
    source = tmp_path / name
    source.write_bytes(b"x")
    with pytest.raises(AttachmentError, match=message):
        _attach(new_file, doc, source)
    assert _rows(new_file.path) == (0, 0)


def test_attach_refuses_folders_pipes_missing_files_and_unknown_documents(new_file, doc, tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(AttachmentError, match="not an ordinary file"):
        _attach(new_file, doc, pipe)  # refused before opening: opening a pipe would block
    with pytest.raises(AttachmentError, match="not an ordinary file"):
        _attach(new_file, doc, Path("/dev/zero"))  # a device: it would never end
    with pytest.raises(AttachmentError, match="is a folder"):
        _attach(new_file, doc, tmp_path)
    with pytest.raises(AttachmentError, match="not there"):
        _attach(new_file, doc, tmp_path / "gone.pdf")
    (tmp_path / "ok.txt").write_text("ok")
    with pytest.raises(AttachmentError, match="no document DOC-999"):
        _attach(new_file, "DOC-999", tmp_path / "ok.txt")
    with pytest.raises(AttachmentError, match="cannot be read"):
        _attach(new_file, doc, tmp_path / "ok.txt" / "x")
    assert _rows(new_file.path) == (0, 0)


def test_attach_refuses_a_file_that_changes_while_read(new_file, doc, tmp_path):
    source = tmp_path / "growing.log"
    source.write_bytes(b"a" * (attachments.CHUNK + 10))
    steps = attachments.attach(new_file, doc, source)
    next(steps)
    with open(source, "ab") as handle:  # another program still writing it
        handle.write(b"more")
    with pytest.raises(AttachmentError, match="changed while it was being attached"):
        finish(steps)
    assert _rows(new_file.path) == (0, 0)


def test_attach_over_the_limit_asks_first(new_file, doc, tmp_path, monkeypatch):
    monkeypatch.setattr(attachments, "LIMIT", 10)
    source = tmp_path / "scan.tif"
    source.write_bytes(b"x" * 11)
    with pytest.raises(attachments.TooLargeError, match="over the"):
        _attach(new_file, doc, source)
    assert _attach(new_file, doc, source, allow_large=True).size == 11


def test_a_tampered_chunk_fails_verification_and_export_the_rest_still_works(
    new_file, doc, tmp_path
):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"first file")
    second.write_bytes(b"second file")
    a = _attach(new_file, doc, first)
    _attach(new_file, doc, second)
    with sqlite3.connect(new_file.path) as conn:
        conn.execute(
            "UPDATE attachment_chunk SET data = ? WHERE attachment_id = ?", (b"evil", a.id)
        )
    found = finish(attachments.verify(new_file))
    assert [(m.attachment.name, "SHA-256" in m.reason or "bytes" in m.reason) for m in found] == [
        ("a.txt", True)
    ]
    out = tmp_path / "out"
    out.mkdir()
    done = finish(attachments.export(new_file, out))
    assert [p.name for p in done.written] == ["DOC-001 b.txt"]
    assert [m.attachment.name for m in done.failed] == ["a.txt"]
    assert sorted(p.name for p in out.iterdir()) == ["DOC-001 b.txt"]  # no half-written a.txt
    with pytest.raises(AttachmentError, match="cannot be opened"):
        finish(attachments.open_copy(new_file, a.id))


def test_a_missing_chunk_fails_verification(new_file, doc, tmp_path):
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(attachments.CHUNK + 1))
    a = _attach(new_file, doc, source)
    with sqlite3.connect(new_file.path) as conn:
        conn.execute("DELETE FROM attachment_chunk WHERE attachment_id = ? AND seq = 1", (a.id,))
    [mismatch] = finish(attachments.verify(new_file))
    assert mismatch.reason == "2 pieces stored, 1 found"


def test_export_never_replaces_a_file_and_opens_a_checked_copy(new_file, doc, tmp_path):
    source = tmp_path / "policy.docx"
    source.write_bytes(b"policy text")
    a = _attach(new_file, doc, source)
    out = tmp_path / "out"
    out.mkdir()
    (out / "DOC-001 policy.docx").write_bytes(b"the client's own file")
    done = finish(attachments.export(new_file, out))
    assert [p.name for p in done.written] == ["DOC-001 policy (2).docx"]
    assert (out / "DOC-001 policy.docx").read_bytes() == b"the client's own file"
    copy = finish(attachments.open_copy(new_file, a.id))
    assert copy.read_bytes() == b"policy text"


@pytest.mark.parametrize(
    "stored, written",
    [
        ("../../escape.txt", "DOC-001 _.._escape.txt"),  # no leading dot: not hidden
        ("/etc/passwd", "DOC-001 _etc_passwd"),
        ("nul", "DOC-001 _nul"),
        ("bad\x07name.txt", "DOC-001 badname.txt"),
        ("", "DOC-001 _attachment"),
    ],
)
def test_export_keeps_a_hostile_stored_name_inside_the_folder(stored, written, tmp_path):
    row = AttachmentRow(1, "DOC-001", stored, "", 0, "", None)  # type: ignore[arg-type]
    assert attachments.safe_name(row) == written


def test_export_of_a_hostile_file_writes_only_inside_the_folder(new_file, doc, tmp_path):
    source = tmp_path / "ok.txt"
    source.write_bytes(b"payload")
    a = _attach(new_file, doc, source)
    with sqlite3.connect(new_file.path) as conn:  # as a crafted engagement file would hold
        conn.execute("UPDATE attachment SET name = '../../owned.txt' WHERE id = ?", (a.id,))
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    done = finish(attachments.export(new_file, out))
    assert [p.parent for p in done.written] == [out.resolve()]
    assert not (tmp_path / "owned.txt").exists() and not (tmp_path / "deep" / "owned.txt").exists()


def test_removing_an_attachment_can_be_undone(new_file, doc, tmp_path):
    source = tmp_path / "a.txt"
    source.write_bytes(b"a")
    a = _attach(new_file, doc, source)
    attachments.set_deleted(new_file, a.id, True)
    assert attachments.list_attachments(new_file) == []
    attachments.set_deleted(new_file, a.id, False)
    assert [r.name for r in attachments.list_attachments(new_file)] == ["a.txt"]


def test_cli_attach_verify_and_export(new_file, doc, tmp_path, capsys):
    path = new_file.path
    new_file.close()
    source = tmp_path / "minutes.txt"
    source.write_bytes(b"board minutes")
    assert main(["attach", str(path), doc, str(source)]) == 0
    assert "Attached minutes.txt to DOC-001 (13 bytes" in capsys.readouterr().out
    assert main(["attach", str(path), doc, str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["verify", str(path)]) == 0
    assert "every SHA-256 matches" in capsys.readouterr().out
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export-attachments", str(path), str(out)]) == 0
    assert (out / "DOC-001 minutes.txt").read_bytes() == b"board minutes"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE attachment_chunk SET data = X'00'")
    before = path.read_bytes()
    assert main(["verify", str(path)]) == 2
    captured = capsys.readouterr()
    assert "MISMATCH DOC-001 minutes.txt" in captured.out
    assert "1 attachment of 1 failed the check" in captured.err
    assert "Traceback" not in captured.err
    assert path.read_bytes() == before
