"""What the consultant sets for an engagement's Stage 1 pack: the confidentiality marking, an
accent colour, the client's logo, the sections chosen last time and the paper size.

Stored in the engagement file (not in the app's settings) so a pack made on another laptop
looks the same. Light on purpose: the window and the CLI read it without loading reportlab."""

from __future__ import annotations

import io
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.models import Base
from app.models import PackSettings as Stored
from app.services.engagement import history, stored_values
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.registry import PACK_SECTIONS

ENTITY = "pack"
# Every section the pack can hold, in the order it is printed (the registry lists them).
SECTIONS: dict[str, str] = {key: title for key, (title, _b) in PACK_SECTIONS.items()}
# Two documents from the same sections: what the certification body gets (no gaps, no
# readiness figures: the facts as recorded), and what the client's management gets (the same
# with every gap and the readiness figures).
KINDS = {"submission": "Stage 1 submission", "readiness": "Readiness report"}
KIND_NOUNS = {"submission": "Stage 1 submission", "readiness": "readiness report"}  # in a sentence
DEFAULT_KIND = "submission"
# Sections only the readiness report holds: the readiness summary, and the checklist with
# its statuses (the consultant's working list, not a document of the client's system).
READINESS_ONLY = ("readiness", "checklist")
PAPERS = {"a4": "A4", "letter": "Letter"}
DEFAULT_MARKING = "Confidential"
DEFAULT_ACCENT = "#1f4e79"
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 4000
_ACCENT = re.compile(r"^#[0-9a-fA-F]{6}$")

FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("confidentiality", "Confidentiality marking", "text"),
        FieldSpec("accent", "Accent colour", "text"),
        FieldSpec("logo", "Client logo", "text"),
        FieldSpec("sections", "Sections", "text"),
        FieldSpec("paper", "Paper", "choice", PAPERS),
        FieldSpec("kind", "Document", "choice", KINDS),
    )
}


@dataclass(frozen=True)
class PackSettings:
    confidentiality: str = ""
    accent: str = ""
    logo: bytes | None = None
    sections: tuple[str, ...] | None = None  # None: never chosen, so every section
    paper: str = "a4"
    kind: str = DEFAULT_KIND

    @property
    def marking(self) -> str:
        return self.confidentiality or DEFAULT_MARKING

    @property
    def accent_or_default(self) -> str:
        return self.accent or DEFAULT_ACCENT

    @property
    def chosen_sections(self) -> tuple[str, ...]:
        return tuple(SECTIONS) if self.sections is None else self.sections

    def sections_of(self, kind: str) -> tuple[str, ...]:
        """The remembered sections a document of this kind can hold; all it can hold when
        none of them is."""
        allowed = kind_sections(kind)
        return tuple(k for k in self.chosen_sections if k in allowed) or allowed


def check_kind(value: object) -> str:
    return str(FIELDS["kind"].coerce(value or DEFAULT_KIND))


def kind_sections(kind: str) -> tuple[str, ...]:
    """Every section a document of this kind can hold, in the pack's order."""
    if kind == "readiness":
        return tuple(SECTIONS)
    return tuple(k for k in SECTIONS if k not in READINESS_ONLY)


def remembered_sections(current: PackSettings, kind: str, chosen: Sequence[str]) -> tuple[str, ...]:
    """What to remember after choosing `chosen` for a document of `kind`: the choice of the
    sections that kind cannot hold stays as it was, for the other kind."""
    kept = [k for k in current.chosen_sections if k not in kind_sections(kind)]
    return tuple(k for k in SECTIONS if k in chosen or k in kept)


def check_kind_sections(kind: str, keys: Sequence[str]) -> tuple[str, ...]:
    """The sections asked for, refused when the kind cannot hold one of them."""
    chosen = check_sections(keys)
    refused = [k for k in chosen if k not in kind_sections(kind)]
    if refused:
        raise FieldError(
            "sections",
            f"The {KIND_NOUNS[kind]} holds no "
            f"{' or '.join(SECTIONS[k].lower() for k in refused)}: "
            f"{'they are' if len(refused) > 1 else 'it is'} for the {KIND_NOUNS['readiness']}.",
        )
    return chosen


def get(ef: EngagementFile) -> PackSettings:
    """The stored settings, each checked as when it was chosen: a logo or colour put into the
    file by other means is named, not left to break every later pack."""
    with ef.reading() as session:
        labels = {n: f.label for n, f in FIELDS.items()}
        table = Base.metadata.tables["pack_settings"]
        stored_values.check_rows(session.connection(), table, ef.path, "the pack settings", labels)
        row = session.get(Stored, 1)
        if row is None:
            return PackSettings()
        try:
            accent = check_accent(row.accent)
            logo = check_logo(row.logo)
        except FieldError as exc:
            what = f"the pack settings, {FIELDS[exc.field].label}, {exc.message}"
            raise stored_values.unreadable(ef.path, what) from None
        return PackSettings(
            row.confidentiality,
            accent,
            logo,
            _sections_from_text(row.sections),
            row.paper if row.paper in PAPERS else "a4",
            row.kind if row.kind in KINDS else DEFAULT_KIND,
        )


def _sections_from_text(text: str) -> tuple[str, ...] | None:
    if not text:
        return None
    try:
        keys = json.loads(text)
    except ValueError:
        return None  # a damaged choice is not worth refusing the file: all sections then
    if not isinstance(keys, list):
        return None
    return tuple(k for k in keys if k in SECTIONS)


def check_sections(keys: Sequence[str]) -> tuple[str, ...]:
    """Known keys in the pack's order; an unknown one is refused, naming those there are."""
    unknown = [k for k in keys if k not in SECTIONS]
    if not keys:
        raise FieldError("sections", "Choose at least one section for the pack.")
    if unknown:
        raise FieldError(
            "sections",
            f"No section {', '.join(repr(k) for k in unknown)}; the sections are: "
            + ", ".join(SECTIONS)
            + ".",
        )
    return tuple(k for k in SECTIONS if k in keys)


def _keys(value: object) -> list[str]:
    """Section keys from a list, or from text such as "scope,risks" (the command line)."""
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list | tuple):
        return [str(k) for k in value]
    raise FieldError("sections", "Sections are a list of section names.")


def check_accent(value: object) -> str:
    text = str(value or "").strip()
    if text and not _ACCENT.match(text):
        raise FieldError("accent", f"'{text}' is not a colour: write it as #RRGGBB, e.g. #1f4e79.")
    return text.lower()


def _check_logo_size(size: int) -> None:
    if size > MAX_LOGO_BYTES:
        raise FieldError(
            "logo",
            f"The logo file is {size / 1024 / 1024:.1f} MB; use an image of at most "
            f"{MAX_LOGO_BYTES // 1024 // 1024} MB.",
        )


def check_logo(data: bytes | None) -> bytes | None:
    """A PNG or JPEG of reasonable size, or a FieldError saying what is wrong with it."""
    if not data:
        return None
    _check_logo_size(len(data))
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise FieldError("logo", "The logo must be a PNG or JPEG image; this file is neither.")
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a decompression bomb warns before it explodes
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                image.verify()
            # verify() reads the chunks, not the pixels: a cut or corrupt image stream shows
            # only when the whole image is decoded, as the pack will.
            if max(width, height) <= MAX_LOGO_SIDE:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
    except Exception as exc:  # Pillow raises many kinds for a broken image
        detail = "" if "<" in str(exc) else f" ({exc})"  # no object addresses in a message
        raise FieldError(
            "logo", f"The logo image cannot be read: it is damaged or cut short{detail}."
        ) from None
    if max(width, height) > MAX_LOGO_SIDE or min(width, height) < 1:
        raise FieldError(
            "logo",
            f"The logo is {width} x {height} pixels; use one of at most {MAX_LOGO_SIDE} pixels "
            "a side.",
        )
    return data


def read_logo(path: Path) -> bytes:
    """A logo file's bytes, checked; a file too large is refused before it is read."""
    try:
        _check_logo_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise FieldError("logo", f"{path.name} cannot be read: {exc.strerror}") from exc
    return check_logo(data) or b""


def _describe(name: str, value: object) -> object:
    """What the history keeps of a setting: never the logo's bytes."""
    if name == "logo":
        return f"image of {len(value):,} bytes" if isinstance(value, bytes) else None
    if name == "sections":
        return ", ".join(value) if isinstance(value, tuple) else "all"
    return value


def update(ef: EngagementFile, **changes: object) -> dict[str, object]:
    """Change settings, each checked first; returns the old values (for undo)."""
    checked: dict[str, object] = {}
    for name, value in changes.items():
        if name == "confidentiality":
            checked[name] = FIELDS[name].coerce(value)
        elif name == "accent":
            checked[name] = check_accent(value)
        elif name == "logo":
            checked[name] = check_logo(value if isinstance(value, bytes) else None)
        elif name == "sections":
            checked[name] = None if value is None else check_sections(_keys(value))
        elif name in ("paper", "kind"):
            checked[name] = FIELDS[name].coerce(value)
        else:
            raise FieldError(name, f"'{name}' is not a setting of the pack.")
    current = get(ef)
    old: dict[str, object] = {}
    with ef.writing() as session:
        row = session.get(Stored, 1)
        if row is None:
            row = Stored(
                id=1, confidentiality="", accent="", logo=None, sections="", paper="a4",
                kind=DEFAULT_KIND,
            )  # fmt: skip
            session.add(row)
        for name, value in checked.items():
            previous = getattr(current, name)
            if previous == value:
                continue
            old[name] = previous
            if name == "sections":
                value = json.dumps(list(value)) if isinstance(value, tuple) else ""
            setattr(row, name, value)
            history.record(
                session, ef.actor, ENTITY, "1", name, _describe(name, previous),
                _describe(name, checked[name]),
            )  # fmt: skip
    return old
