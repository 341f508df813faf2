"""`aims-prep`: the engagement services without a window.

Exit 0 on success; 2 with one `error:` line for bad input or usage; 1 only for a bug.
Qt is imported only by the commands that render (gui, screenshot)."""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import app
from app.services.engagement.errors import AimsError
from app.views.tab_names import TAB_NAMES


class UsageError(AimsError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see aims-prep --help)")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size such as 1400x900") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return width, height


def _top() -> tuple[argparse.ArgumentParser, Any]:
    parser = _Parser(prog="aims-prep", description="ISO/IEC 42001 readiness, one file per client.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser, parser.add_subparsers(dest="command", parser_class=_Parser)


def _add_gui(sub: Any) -> None:
    p = sub.add_parser("gui", help="open the window (the default)")
    p.add_argument("file", type=Path, nargs="?")
    p.add_argument("--smoke", action="store_true", help="open the window on a demo, then exit")


def _window_parser() -> argparse.ArgumentParser:
    """Only the window's command: what `aims-prep` and `aims-prep gui` parse. Building every
    command's parser costs about 10 ms, on the way to the window's first paint."""
    parser, sub = _top()
    _add_gui(sub)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser, sub = _top()

    p = sub.add_parser("new", help="create an engagement file")
    p.add_argument("file", type=Path)
    p.add_argument("--client", required=True)
    p.add_argument("--size", choices=("small", "mid", "large"), default="mid")
    p.add_argument("--iso27001", action="store_true", help="the client holds ISO/IEC 27001")
    p.add_argument("--iso9001", action="store_true", help="the client holds ISO 9001")
    p.add_argument("--consultant", default="")
    p.add_argument("--stage1", metavar="YYYY-MM-DD", help="target Stage 1 audit date")
    p.add_argument(
        "--aims-started", metavar="YYYY-MM-DD", help="when the client's AI management system began"
    )

    p = sub.add_parser("demo", help="create a demo engagement for a fictional client")
    p.add_argument("file", type=Path)

    p = sub.add_parser("status", help="readiness figures of an engagement")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("plan", help="the certification plan: milestones and their dates")
    p.add_argument("file", type=Path)

    p = sub.add_parser(
        "set-milestone", help="set a milestone's planned date, or the day it was reached"
    )
    p.add_argument("file", type=Path)
    p.add_argument("key", metavar="KEY", help="gap_assessment, stage1, certificate...")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--planned", metavar="YYYY-MM-DD", help="the planned date")
    when.add_argument(
        "--clear", action="store_true", help="drop the planned date: back to the computed one"
    )
    p.add_argument("--done", metavar="YYYY-MM-DD", help="the day it was reached")

    p = sub.add_parser("list", help="every item of a register, with every field")
    p.add_argument("file", type=Path)
    p.add_argument("register", nargs="?", help="which register (leave out to name them)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "prepare-review",
        help="fill a management review's inputs from the engagement's figures as of its date",
    )
    p.add_argument("file", type=Path)
    p.add_argument("review", metavar="REVIEW_ID")
    p.add_argument(
        "--replace", action="store_true", help="write over inputs whose notes are already written"
    )

    p = sub.add_parser("copy", help="write a consistent copy of an engagement file")
    p.add_argument("file", type=Path)
    p.add_argument("destination", type=Path)

    p = sub.add_parser(
        "issue-soa", help="issue the SoA draft as the next approved version (only a complete one)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--approved-by", required=True, help="who approved this version")
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was issued (default: today)")

    p = sub.add_parser("upgrade-catalog", help="preview (or --apply) a newer catalog")
    p.add_argument("file", type=Path)
    p.add_argument("--catalog", type=Path, help="catalog file (default: the bundled one)")
    p.add_argument("--apply", action="store_true")

    p = sub.add_parser("export-xlsx", help="write the engagement as a workbook for the client")
    p.add_argument("file", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)

    p = sub.add_parser(
        "import-people",
        help="preview (or --apply) the client's role register, RACI matrix or AI policy "
        "acknowledgement log",
    )
    p.add_argument("file", type=Path)
    p.add_argument("workbook", type=Path, help=".xlsx, .xlsm, .ods or .csv")
    p.add_argument("--apply", action="store_true", help="add what the preview lists")

    p = sub.add_parser(
        "import-xlsx", help="import a workbook (ours back from the client, or theirs)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("workbook", type=Path, help=".xlsx, .xlsm, .ods or .csv")
    p.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows when others have errors"
    )
    p.add_argument(
        "--take", choices=("ours", "theirs"), default="ours",
        help="settle conflicts: keep the app's value (ours, the default) or the workbook's",
    )  # fmt: skip
    p.add_argument(
        "--show-mapping", action="store_true",
        help="print the mapping of the foreign sheets (as a --mapping file) and import nothing",
    )  # fmt: skip
    p.add_argument(
        "--mapping", type=Path, metavar="MAP.json", help="a saved mapping for foreign sheets"
    )

    p = sub.add_parser(
        "export-pack",
        help="write the Stage 1 submission for the certification body, or the readiness "
        "report for the client (PDF)",
    )
    p.add_argument("file", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument(
        "--kind",
        type=str.lower,
        choices=("submission", "readiness"),
        default="submission",
        help="submission: for the certification body, without gaps or readiness figures "
        "(the default); readiness: for the client's management, with them",
    )
    p.add_argument("--paper", type=str.lower, choices=("a4", "letter"))
    p.add_argument(
        "--sections",
        metavar="LIST",
        help="comma-separated sections (default: those last chosen for this engagement): "
        "readiness,documents,scope,context,checklist,inventory,impact,criteria,risks,soa,"
        "people,objectives,internal_audit,nonconformities,review "
        "(readiness and checklist: in the readiness report only)",
    )

    p = sub.add_parser(
        "export-audit-worksheet", help="print an audit's checklist as a worksheet (PDF)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("audit", metavar="AUDIT_ID")
    p.add_argument("-o", "--output", type=Path, required=True)

    p = sub.add_parser("attach", help="attach files to a document of the register")
    p.add_argument("file", type=Path)
    p.add_argument("document", metavar="DOC_ID")
    p.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    p.add_argument("--allow-large", action="store_true", help="attach files over the 200 MB limit")

    p = sub.add_parser(
        "export-attachments", help="write every attachment into a folder (never over a file)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("folder", type=Path)

    p = sub.add_parser("verify", help="check every attachment against its recorded SHA-256")
    p.add_argument("file", type=Path)

    p = sub.add_parser(
        "add-starting-roles", help="add the usual AIMS roles (those not there already)"
    )
    p.add_argument("file", type=Path)

    p = sub.add_parser(
        "merge-people", help="one person entered twice: move everything to KEEP, delete DROP"
    )
    p.add_argument("file", type=Path)
    p.add_argument("keep", metavar="KEEP_ID")
    p.add_argument("drop", metavar="DROP_ID")

    p = sub.add_parser(
        "match-owners", help="match every owner, approver and acceptor to People (and report)"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--add-new", action="store_true", help="add names that are no person yet")

    _add_gui(sub)

    p = sub.add_parser("screenshot", help="render the window on a tab to a PNG")
    p.add_argument("file", type=Path)
    p.add_argument("--tab", default="clauses", type=str.lower, choices=TAB_NAMES)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--size", type=_size, default=(1400, 900), metavar="WxH")
    p.add_argument(
        "--select",
        metavar="ID",
        help="the point, system, risk, control, context or people item shown",
    )
    return parser


def _new(args: argparse.Namespace) -> int:
    from app.services.engagement.fields import parse_date
    from app.services.engagement.file import create_engagement

    stage1 = parse_date("stage1", args.stage1)
    started = parse_date("aims_started_on", args.aims_started)
    with create_engagement(
        args.file,
        client=args.client,
        size=args.size,
        iso27001=args.iso27001,
        iso9001=args.iso9001,
        consultant=args.consultant,
        stage1_date=stage1,
        aims_started_on=started,
    ) as ef:
        print(f"Created {ef.path} for {ef.details.client} (catalog {ef.catalog.version}).")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from app.services.demo import create_demo

    with create_demo(args.file) as ef:
        print(f"Created demo engagement {ef.path} ({ef.details.client}).")
    return 0


def _status(args: argparse.Namespace) -> int:
    from app.services import status
    from app.services.engagement.file import open_engagement

    with open_engagement(args.file, read_only=True) as ef:
        data = status.summary(ef)
    print(json.dumps(data, indent=2) if args.json else status.as_text(data))
    return 0


def _plan(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.readiness import plan

    with open_engagement(args.file, read_only=True) as ef:
        print(plan.as_text(plan.plan(ef)))
    return 0


def _set_milestone(args: argparse.Namespace) -> int:
    from app.services.engagement.fields import parse_date
    from app.services.engagement.file import open_engagement
    from app.services.readiness import plan

    changes: dict[str, Any] = {}
    if args.clear:
        changes["planned_on"] = None
    elif args.planned is not None:
        changes["planned_on"] = parse_date("planned_on", args.planned, "--planned")
    if args.done is not None:
        changes["done_on"] = parse_date("done_on", args.done, "--done")
    if not changes:
        raise UsageError("give --planned DATE, --clear or --done DATE (see aims-prep --help)")
    plan.check_key(args.key)  # an unknown milestone is refused before the file is opened
    with open_engagement(args.file) as ef:
        plan.set_milestone(ef, args.key, **changes)
        shown = plan.plan(ef).get(args.key)
    state = "reached" if shown.done else "planned"
    day = shown.date.isoformat() if shown.date else "no date"
    print(f"{shown.title}: {state} on {day} ({plan.SOURCES[shown.source].lower()}).")
    return 0


def _list(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.registers import listing

    if args.register is not None:
        listing.area(args.register)  # an unknown name is refused before the file is opened
    with open_engagement(args.file, read_only=True) as ef:
        if args.register is None:
            found = listing.counts(ef)
            text = listing.counts_text(found)
        else:
            items = listing.items(ef, args.register)
            text = listing.as_text(args.register, items)
    if args.json:
        text = json.dumps(found if args.register is None else items, indent=2, ensure_ascii=False)
    print(text)
    return 0


def _prepare_review(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.evaluation import review_inputs

    with open_engagement(args.file) as ef:
        done = review_inputs.prepare_inputs(ef, args.review.strip(), replace=args.replace)
    print(review_inputs.as_text(done))
    return 0


def _copy(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement

    with open_engagement(args.file, read_only=True) as ef:
        ef.save_copy(args.destination)
    print(f"Copied to {args.destination}.")
    return 0


def _issue_soa(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.soa import service as soa

    with open_engagement(args.file) as ef:
        number = soa.issue(ef, args.approved_by, args.on)
        issued = soa.get_issued(ef, number)
    print(
        f"Issued version {number} of the Statement of Applicability "
        f"({issued.issued_on.isoformat()}, approved by {issued.approved_by})."
    )
    return 0


def _upgrade_catalog(args: argparse.Namespace) -> int:
    from app.services.catalog import content as catalog
    from app.services.catalog import upgrade as catalog_upgrade
    from app.services.engagement.file import open_engagement

    new = catalog.load_file(args.catalog) if args.catalog else catalog.load_bundled()
    with open_engagement(args.file, read_only=not args.apply) as ef:
        plan = catalog_upgrade.apply(ef, new) if args.apply else catalog_upgrade.preview(ef, new)
    print(plan.as_text())
    if not args.apply and plan.has_changes:
        print("Run again with --apply to upgrade.")
    return 0


def _export_xlsx(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.workbook.export import export_workbook

    with open_engagement(args.file, read_only=True) as ef:
        for _ in export_workbook(ef, args.output):
            pass
    print(f"Wrote {args.output}.")
    return 0


def _import_xlsx(args: argparse.Namespace) -> int:
    from app.services import words
    from app.services.engagement.file import open_engagement
    from app.services.workbook import importer as workbook_import
    from app.services.workbook.layout import load_mapping

    mapping = load_mapping(args.mapping) if args.mapping else None
    # a preview never writes
    preview = args.dry_run or args.show_mapping
    with open_engagement(args.file, read_only=preview) as ef:
        # applied at once, the import's own checks find what the preview's trial run would
        plan = workbook_import.build_plan(ef, args.workbook, mapping, trial=args.dry_run)
        if args.show_mapping:
            print(json.dumps(workbook_import.mapping_of(plan), indent=2, ensure_ascii=False))
            return 0
        plan.take(theirs=args.take == "theirs")
        blocked = plan.errors > 0 and not args.skip_invalid
        applied = not args.dry_run and not blocked
        if blocked and not args.dry_run:  # every refusal told at once, not only the cells'
            workbook_import.try_out(ef, plan)
        if applied:
            try:
                workbook_import.apply(ef, plan, skip_invalid=args.skip_invalid)
            except workbook_import.RefusedError:
                blocked, applied = True, False
    if args.json:
        print(json.dumps(plan.to_json(applied), indent=2, default=str, ensure_ascii=False))
    else:
        print(workbook_import.as_text(plan, applied))
    if blocked:
        print(
            f"error: {words.count(plan.errors, 'problem')} in the workbook; nothing was imported. "
            "Fix them, "
            "or run again with --skip-invalid to import the valid rows.",
            file=sys.stderr,
        )
        return 2
    return 0


def _import_people(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.people import client_records

    with open_engagement(args.file, read_only=not args.apply) as ef:
        plan = (client_records.apply if args.apply else client_records.preview)(ef, args.workbook)
    print(plan.as_text(applied=args.apply))
    if not args.apply and plan.has_changes:
        print("Run again with --apply to add them.")
    return 0


def _export_pack(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.pack import build as pack
    from app.services.pack import settings as pack_settings
    from app.services.progress import finish

    sections = None
    if args.sections is not None:
        sections = [k.strip() for k in args.sections.split(",") if k.strip()]
        pack_settings.check_kind_sections(args.kind, sections)
    with open_engagement(args.file, read_only=True) as ef:
        result = finish(pack.export(ef, args.output, sections, args.paper, args.kind))
    what = pack_settings.KIND_NOUNS[result.kind]
    print(f"Wrote the {what} to {result.path} ({result.pages} pages).")
    return 0


def _export_audit_worksheet(args: argparse.Namespace) -> int:
    from app.services import words
    from app.services.engagement.file import open_engagement
    from app.services.evaluation import worksheet
    from app.services.progress import finish

    with open_engagement(args.file, read_only=True) as ef:
        count = finish(worksheet.export(ef, args.audit, args.output))
    print(f"Wrote the worksheet of {args.audit} to {args.output} ({words.count(count, 'line')}).")
    return 0


def _attach(args: argparse.Namespace) -> int:
    from app.services.documents import attachments
    from app.services.engagement.file import open_engagement
    from app.services.progress import finish

    with open_engagement(args.file) as ef:
        for path in args.paths:  # each file in its own transaction: one refused keeps the rest
            row = finish(attachments.attach(ef, args.document, path, args.allow_large))
            print(f"Attached {row.name} to {row.document_id} ({row.size:,} bytes, "
                  f"SHA-256 {row.sha256}).")  # fmt: skip
    return 0


def _add_starting_roles(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.people import service as people

    with open_engagement(args.file) as ef:
        added = people.add_starting_roles(ef)
    if added:
        print(f"Added {len(added)} starting role{'s' if len(added) != 1 else ''}: "
              f"{', '.join(added)}.")  # fmt: skip
    else:
        print("Every starting role is there already; nothing added.")
    return 0


def _merge_people(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.people import service as people

    with open_engagement(args.file) as ef:
        moved = people.merge_people(ef, args.keep, args.drop)
    print(f"Merged {args.drop} into {args.keep}: "
          + (f"{', '.join(moved)} now name {args.keep}; " if moved else "")
          + f"{args.drop} deleted.")  # fmt: skip
    return 0


def _export_attachments(args: argparse.Namespace) -> int:
    from app.services.documents import attachments
    from app.services.engagement.file import open_engagement
    from app.services.progress import finish

    with open_engagement(args.file, read_only=True) as ef:
        done = finish(attachments.export(ef, args.folder))
    print(done.as_text())
    if done.failed:
        return _fail("some attachments failed their check and were not written (listed above).")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from app.services import words
    from app.services.documents import attachments
    from app.services.engagement.file import open_engagement
    from app.services.progress import finish

    with open_engagement(args.file, read_only=True) as ef:
        rows = attachments.list_attachments(ef)
        found = finish(attachments.verify(ef, rows))
    for mismatch in found:
        print(f"MISMATCH {mismatch.text}")
    if found:
        return _fail(
            f"{words.count(len(found), 'attachment')} of {len(rows)} failed the check; attach "
            "them again from their originals."
        )
    print(f"{words.count(len(rows), 'attachment')} checked: every SHA-256 matches.")
    return 0


def _match_owners(args: argparse.Namespace) -> int:
    from app.services.engagement.file import open_engagement
    from app.services.people import owners
    from app.services.progress import finish

    with open_engagement(args.file) as ef:
        report = finish(owners.match_owners(ef, add_new=args.add_new))
    print(report.summary())
    return 0


def _import_services_before_qt() -> None:
    """Once PySide6 is imported, its import hook makes every later import slower; the
    services the window's first page needs (and SQLAlchemy under them) load faster first.
    Only those: the rest loads when a tab or a command first needs it."""
    import sqlalchemy.dialects.sqlite  # noqa: F401  (else loaded on opening, after Qt)

    import app.services.clauses.requirements
    import app.services.engagement.stage1  # noqa: F401


def _gui(args: argparse.Namespace) -> int:
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Until the window has painted (app.views.app turns it back on): start-up makes objects
    # the app keeps, and the collector's passes over them cost a tenth of the start-up.
    gc.disable()
    _import_services_before_qt()
    from app.views.app import run

    return run(args.file, smoke=args.smoke)


def _screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _import_services_before_qt()
    from app.views.app import screenshot

    screenshot(args.file, args.tab, args.output, args.size, args.select)
    print(f"Wrote {args.output}.")
    return 0


_COMMANDS = {
    "new": _new,
    "demo": _demo,
    "status": _status,
    "list": _list,
    "plan": _plan,
    "set-milestone": _set_milestone,
    "prepare-review": _prepare_review,
    "copy": _copy,
    "issue-soa": _issue_soa,
    "upgrade-catalog": _upgrade_catalog,
    "export-xlsx": _export_xlsx,
    "import-xlsx": _import_xlsx,
    "import-people": _import_people,
    "export-pack": _export_pack,
    "export-audit-worksheet": _export_audit_worksheet,
    "attach": _attach,
    "export-attachments": _export_attachments,
    "verify": _verify,
    "add-starting-roles": _add_starting_roles,
    "merge-people": _merge_people,
    "match-owners": _match_owners,
    "gui": _gui,
    "screenshot": _screenshot,
}


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace | None = None
    try:
        words = list(argv if argv is not None else sys.argv[1:])
        if words and words[0].lower().endswith(".aims"):  # `aims-prep client.aims`, as a
            words = ["gui", *words]  # file manager opens a file with its program
        if not words or words[0] == "gui":  # the window, no other command to know
            args = _window_parser().parse_args(words or ["gui"])
        else:
            args = _parser().parse_args(words)
        if args.version:  # looked up only when asked: reading package metadata is slow
            print(f"aims-prep {app.__version__}")
            return 0
        if args.command is None:
            args = _parser().parse_args(["gui", *words])
        code = _COMMANDS[args.command](args)
        sys.stdout.flush()
        return code
    except AimsError as exc:
        return _fail(exc.message)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        # The reader went away (`status --json | head`): what it wanted, it has.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # the disk, not the program: say so in one line
            return _fail("the disk is full; nothing was changed. Free some space and try again.")
        raise
    except (ValueError, TypeError):
        # A stored value no reader expected (bytes where text belongs)? Name it; otherwise
        # this is a bug, and its traceback is wanted.
        path = getattr(args, "file", None)
        found = _stored_value_problem(path) if path is not None else None
        if found is None:
            raise
        return _fail(found)


def _stored_value_problem(path: Path) -> str | None:
    from app.services.engagement.stored_values import diagnose_file

    found = diagnose_file(path) if path.is_file() else None
    return found.message if found else None


def _fail(message: str) -> int:
    """One `error:` line, whatever the message holds (a path with a newline in it)."""
    flat = message.replace("\r", "\\r").replace("\n", "\\n")
    print(f"error: {flat}", file=sys.stderr)
    return 2
