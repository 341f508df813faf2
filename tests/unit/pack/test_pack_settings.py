"""Per-engagement pack settings: kept in the file, checked at the setting, undoable."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import open_engagement
from app.services.pack import settings as pack_settings

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def png(width=120, height=40) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 80, 120)).save(out, "PNG")
    return out.getvalue()


def test_pack_settings_default_to_every_section_on_a4(new_file):
    got = pack_settings.get(new_file)
    assert got.chosen_sections == tuple(pack_settings.SECTIONS)
    assert (got.paper, got.marking, got.logo) == ("a4", "Confidential", None)


def test_pack_settings_are_kept_in_the_file_and_undone_with_the_old_values(new_file):
    old = pack_settings.update(
        new_file, confidentiality="Client confidential", accent="#AA3300", logo=png()
    )
    new_file.close()
    with open_engagement(new_file.path) as ef:
        got = pack_settings.get(ef)
        assert (got.marking, got.accent) == ("Client confidential", "#aa3300")
        assert got.logo is not None and got.logo.startswith(b"\x89PNG")
        pack_settings.update(ef, **old)
        assert pack_settings.get(ef) == pack_settings.PackSettings()


def test_pack_settings_sections_are_remembered_in_pack_order(new_file):
    pack_settings.update(new_file, sections=["soa", "scope"])
    assert pack_settings.get(new_file).chosen_sections == ("scope", "soa")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"logo": b"%PDF-1.4 not an image"}, "must be a PNG or JPEG"),
        ({"logo": b"\x89PNG\r\n\x1a\n" + b"\0" * 100}, "cannot be read"),
        ({"logo": b"\xff\xd8\xff" + b"\0" * (3 * 1024 * 1024)}, "at most 2 MB"),
        ({"accent": "blue"}, "#RRGGBB"),
        ({"sections": ["scope", "dashboard"]}, "No section 'dashboard'"),
        ({"sections": []}, "at least one section"),
        ({"paper": "A3"}, "not one of: A4, Letter"),
    ],
)
def test_pack_settings_refuse_bad_values_and_save_nothing(new_file, changes, message):
    with pytest.raises(FieldError, match=message):
        pack_settings.update(new_file, **changes)
    assert pack_settings.get(new_file) == pack_settings.PackSettings()


def test_pack_settings_refuse_an_image_of_absurd_size(new_file):
    with pytest.raises(FieldError, match="5000 x 10 pixels"):
        pack_settings.update(new_file, logo=png(5000, 10))


def test_pack_settings_history_names_the_logo_without_its_bytes(new_file):
    pack_settings.update(new_file, logo=png())
    with new_file.reading() as session:
        change = history.for_entity(session, "pack", "1")[0]
    assert change.field == "logo" and change.new.startswith("image of ")


def test_pack_settings_of_the_v5_fixture_survive(tmp_path):
    path = tmp_path / "v5.aims"
    shutil.copy(FIXTURES / "schema_v5.aims", path)
    with open_engagement(path) as ef:
        got = pack_settings.get(ef)
    assert got.paper == "letter" and got.accent == "#0b6e4f"
    assert got.chosen_sections == ("readiness", "scope", "risks", "soa")
