"""Engagement files: creating, reopening, one writer, copies, and every way a file can be bad."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from app.services.clauses import requirements
from app.services.engagement import history
from app.services.engagement.errors import (
    CatalogError,
    DamagedFileError,
    FieldError,
    FileMissingError,
    FileWriteError,
    NotAnEngagementError,
    ReadOnlyError,
    SchemaTooNewError,
)
from app.services.engagement.file import create_engagement, open_engagement


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_engagement_create_keeps_details_and_catalog(tmp_path):
    with create_engagement(
        tmp_path / "a.aims", client="Zürich Rück AG", size="large", iso27001=True
    ) as ef:
        pass
    with open_engagement(tmp_path / "a.aims") as ef:
        assert ef.details.client == "Zürich Rück AG"
        assert ef.details.iso27001 and ef.details.size == "large"
        assert ef.catalog.version == "2026.2"
        assert len(requirements.list_points(ef)) == len(ef.catalog.points)


def test_engagement_create_refuses_blank_client_and_existing_file(tmp_path):
    with pytest.raises(FieldError, match="Client cannot be blank"):
        create_engagement(tmp_path / "a.aims", client="  ")
    (tmp_path / "b.aims").write_text("keep me")
    with pytest.raises(FileWriteError, match="already exists"):
        create_engagement(tmp_path / "b.aims", client="X")
    assert (tmp_path / "b.aims").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.aims"]


def test_engagement_edit_survives_reopen(new_file):
    requirements.set_values(new_file, "status", {"P-4.1-01": "implemented"})
    path = new_file.path
    new_file.close()
    with open_engagement(path) as ef:
        assert requirements.get_point(ef, "P-4.1-01").status == "implemented"


def test_engagement_second_opener_is_read_only(new_file):
    with open_engagement(new_file.path) as second:
        assert second.read_only
        assert "open for editing by" in second.read_only_reason
        with pytest.raises(ReadOnlyError):
            requirements.set_values(second, "owner", {"P-4.1-01": "Someone"})


def test_engagement_lock_is_released_on_close(new_file):
    path = new_file.path
    new_file.close()
    with open_engagement(path) as again:
        assert not again.read_only


def test_engagement_lock_is_held_across_processes(new_file):
    code = (
        "from app.services.engagement.file import open_engagement as o; print(o(r'%s').read_only)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code % new_file.path], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def test_engagement_killed_process_keeps_every_committed_edit(tmp_path):
    path = tmp_path / "k.aims"
    create_engagement(path, client="Kill Test").close()
    script = textwrap.dedent(f"""
        import sys
        from app.services.engagement import history
        from app.services.clauses import requirements
        from app.services.engagement.file import open_engagement
        ef = open_engagement(r"{path}")
        ids = [p.id for p in ef.catalog.points]
        i = 0
        while True:
            requirements.set_values(ef, "notes", {{ids[i % len(ids)]: f"edit {{i}}"}})
            print(i, flush=True)
            i += 1
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    seen = [int(proc.stdout.readline()) for _ in range(40)]
    proc.kill()
    proc.wait()
    proc.stdout.close()
    with open_engagement(path) as ef:
        assert not ef.read_only  # the dead process's lock went with it
        notes = {p.id: p.notes for p in requirements.list_points(ef)}
        ids = [p.id for p in ef.catalog.points]
        for i in seen[-len(ids) :]:
            assert notes[ids[i % len(ids)]] in {f"edit {j}" for j in range(i, seen[-1] + 3)}


def test_engagement_save_copy_while_open(new_file, tmp_path):
    requirements.set_values(new_file, "owner", {"P-5.2-01": "CEO"})
    copy = tmp_path / "copy.aims"
    new_file.save_copy(copy)
    with open_engagement(copy) as ef:
        assert not ef.read_only
        assert requirements.get_point(ef, "P-5.2-01").owner == "CEO"


def test_engagement_save_copy_refuses_own_path(new_file):
    with pytest.raises(FileWriteError, match="already open"):
        new_file.save_copy(new_file.path)


def test_engagement_vanished_while_open_saves_nothing_and_says_so(new_file):
    os.remove(new_file.path)
    with pytest.raises(FileWriteError, match="no longer there"):
        requirements.set_values(new_file, "owner", {"P-4.1-01": "X"})


def test_engagement_update_details_records_history(new_file):
    new_file.update_details(client="Acme Analytics SE")
    assert new_file.details.client == "Acme Analytics SE"
    with new_file.reading() as session:
        change = history.for_entity(session, "engagement", "1")[0]
    assert (change.field, change.old, change.new) == (
        "client",
        "Acme Analytics GmbH",
        "Acme Analytics SE",
    )
    with pytest.raises(FieldError, match="Organization size: .huge. is not one of"):
        new_file.update_details(size="huge")


# The corpus of bad files: each gives a clear typed error and leaves the file untouched.
def _text_file(p):
    p.write_text("client,status\nAcme,done\n")


def _empty_file(p):
    p.write_bytes(b"")


def _other_database(p):
    con = sqlite3.connect(p)
    con.execute("create table notes (x text)")
    con.commit()
    con.close()


def _truncated(p):
    create_engagement(p, client="T").close()
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _garbage_after_header(p):
    create_engagement(p, client="G").close()
    data = bytearray(p.read_bytes())
    data[100:] = os.urandom(len(data) - 100)
    p.write_bytes(bytes(data))


def _newer_schema(p):
    create_engagement(p, client="N").close()
    con = sqlite3.connect(p)
    con.execute("update schema_info set version = 99")
    con.commit()
    con.close()


def _catalog_snapshot_damaged(p):
    create_engagement(p, client="C").close()
    con = sqlite3.connect(p)
    con.execute("update catalog_snapshot set content = '{\"x\": 1}'")
    con.commit()
    con.close()


def _sql(statement):
    def make(p):
        create_engagement(p, client="S").close()
        con = sqlite3.connect(p)
        con.execute(statement)
        con.commit()
        con.close()

    return make


_REF_AS_NUMBER = (
    """update catalog_snapshot set content = replace(content, '"ref": "4.1"', '"ref": 5')"""
)


def _only_schema_info(p):
    con = sqlite3.connect(p)
    con.execute(
        "create table schema_info (id integer primary key, version integer, written_by text)"
    )
    con.execute("insert into schema_info values (1, 2, 'x')")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (_sql("update schema_info set version = 'abc'"), DamagedFileError, "format number"),
        (_only_schema_info, DamagedFileError, "missing parts"),
        (
            _sql(_REF_AS_NUMBER),
            CatalogError,
            "damaged",
        ),
        (_text_file, NotAnEngagementError, "not an AIMS Prep engagement file"),
        (_empty_file, NotAnEngagementError, "not an AIMS Prep engagement file"),
        (_other_database, NotAnEngagementError, "not an AIMS Prep engagement"),
        (_truncated, DamagedFileError, "truncated"),
        (_garbage_after_header, (DamagedFileError, NotAnEngagementError), "AIMS Prep|damaged"),
        (_newer_schema, SchemaTooNewError, "newer AIMS Prep"),
        (_catalog_snapshot_damaged, Exception, "damaged"),
    ],
)
def test_engagement_bad_file_is_refused_untouched(tmp_path, make, error, words):
    path = tmp_path / "bad.aims"
    make(path)
    before = _digest(path)
    with pytest.raises(error, match=words):
        open_engagement(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["bad.aims"]
    # a refused file leaves no lock held: a retry gets the same message, not "read-only"
    with pytest.raises(error, match=words):
        open_engagement(path)


def test_engagement_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(FileMissingError, match="does not exist"):
        open_engagement(tmp_path / "gone" / "x.aims")


def test_engagement_folder_is_not_a_file(tmp_path):
    with pytest.raises(NotAnEngagementError, match="folder"):
        open_engagement(tmp_path)


def test_engagement_read_only_on_disk_opens_for_viewing(tmp_path):
    path = tmp_path / "ro.aims"
    create_engagement(path, client="RO").close()
    before = _digest(path)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with open_engagement(path) as ef:
            assert ef.read_only and "read-only on disk" in ef.read_only_reason
            assert requirements.list_points(ef)
            with pytest.raises(ReadOnlyError):
                requirements.set_values(ef, "status", {"P-4.1-01": "implemented"})
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("update requirement set due_date = '31/12/2026'", "cannot read"),
        ("update requirement set status = 'n/a'", "unknown status 'n/a'"),
    ],
)
def test_engagement_damaged_values_are_a_clear_error(tmp_path, statement, words):
    path = tmp_path / "v.aims"
    _sql(statement)(path)
    with open_engagement(path) as ef, pytest.raises(DamagedFileError, match=words):
        requirements.list_points(ef)


def test_engagement_symlink_shares_the_lock(new_file, tmp_path):
    link = tmp_path / "link.aims"
    link.symlink_to(new_file.path)
    with open_engagement(link) as other:
        assert other.read_only


def test_engagement_read_only_folder_opens_for_viewing(tmp_path, monkeypatch):
    path = tmp_path / "f.aims"
    create_engagement(path, client="F").close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real_access(p, mode)
    )
    with open_engagement(path) as ef:
        assert ef.read_only and "folder is read-only" in ef.read_only_reason


def test_engagement_copy_never_overwrites_silently(new_file, tmp_path):
    target = tmp_path / "taken.aims"
    target.write_text("keep")
    with pytest.raises(FileWriteError, match="already exists"):
        new_file.save_copy(target)
    assert target.read_text() == "keep"
    other = create_engagement(tmp_path / "open.aims", client="O")
    with pytest.raises(FileWriteError, match="open for editing"):
        new_file.save_copy(other.path, overwrite=True)
    other.close()


def test_engagement_path_with_url_characters(tmp_path):
    path = tmp_path / "Müller & Co 100% ?.aims"
    with create_engagement(path, client="Müller & Co") as ef:
        assert ef.path.exists() and ef.details.client == "Müller & Co"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [path.name]


@pytest.mark.parametrize(
    "statement",
    [
        "update risk_criteria set content = 'not json'",
        "update risk_criteria set content = '{}'",
        "update risk_criteria set content = "
        """replace(content, '"threshold": 9', '"threshold": "abc"')""",
        "insert into soa_version values (1, '2026-01-01', 'CEO', '[{}]', '2026-01-01 00:00:00')",
    ],
)
def test_engagement_damaged_risk_and_soa_records_are_a_clear_error(tmp_path, statement):
    from app.services import status

    path = tmp_path / "r.aims"
    _sql(statement)(path)
    with open_engagement(path) as ef, pytest.raises(DamagedFileError, match="damaged"):
        status.summary(ef)


def test_engagement_audit_and_document_control_details_save_and_reopen(tmp_path):
    import datetime as dt

    from app.services.engagement.file import create_engagement, open_engagement

    path = tmp_path / "audit.aims"
    with create_engagement(path, client="Audit Ltd", certification_body="Harbourline") as ef:
        old = ef.update_details(
            stage2_date="2027-03-15", doc_version="1.2", doc_author="Jordan Avery",
            doc_reviewer="Grace Okafor", doc_approver="Priya Shah", doc_date="2027-01-10",
        )  # fmt: skip
        assert old["doc_version"] == "" and old["stage2_date"] is None
    with open_engagement(path) as ef:
        d = ef.details
        assert d.certification_body == "Harbourline" and d.stage2_date == dt.date(2027, 3, 15)
        assert (d.doc_version, d.doc_author, d.doc_reviewer, d.doc_approver) == (
            "1.2", "Jordan Avery", "Grace Okafor", "Priya Shah",
        )  # fmt: skip
        assert d.doc_date == dt.date(2027, 1, 10)
