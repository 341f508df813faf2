"""Help (F1): a short getting-started page and every keyboard shortcut, the latter read from
the window's own menus and tabs so the list never drifts from what the keys do."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.views.common.text import esc

GETTING_STARTED = """
<h2>Getting started</h2>
<ol>
<li><b>Start an engagement</b>: File &gt; New Engagement (Ctrl+N) asks for the client, its size,
the certifications it already holds and the target Stage 1 date, then where to save the
<code>.aims</code> file. One file holds everything about one client; copy it like any
document. File &gt; Open Demo Engagement shows a client in the middle of the work.</li>
<li><b>See where the client stands</b> on the dashboard (Ctrl+0), the first page: readiness,
the gaps that fail certification audits with a button to the items behind each, work by
owner, the time left to Stage 1 and the certification plan, whose dates you can type over.
</li>
<li><b>Walk the clauses</b> (Ctrl+1) with the client: pick a point, ask the question shown,
record status, owner, due date, notes and evidence. The panel shows what auditors usually
find missing at that point.</li>
<li><b>Record the context</b> (Ctrl+2): the issues that bear on the AIMS, the interested
parties and what each needs from the AI systems, the laws and contracts that apply, and
whether climate change matters. Auditors start with these questions.</li>
<li><b>List every AI system</b> (Ctrl+3), including those bought from vendors or built into
other tools, and record an impact assessment for each system in scope; only an approved one
with its impacts, result and treatment counts. Set when the AIMS began in the engagement
details (Ctrl+E): a system live before then is cleared by a retroactive assessment.</li>
<li><b>Keep the risk register</b> (Ctrl+4) against the engagement's risk criteria: rate each
risk, choose its treatment and the Annex A controls it needs, and record who accepts what
remains.</li>
<li><b>Decide the Statement of Applicability</b> (Ctrl+5): include or exclude each Annex A
control with its reasons. A control's implementation status lives in its SoA line; the
checklist points under the control show and set that same status.</li>
<li><b>Work with the client's own files</b>: File &gt; Export Workbook gives them a workbook
to fill in; File &gt; Import Workbook shows every change before anything is saved.</li>
<li><b>Hand over the pack</b>: File &gt; Export Stage 1 Pack writes the PDF for the
certification body.</li>
</ol>
<p>Every change is saved as you make it and can be undone (Ctrl+Z). Gaps an auditor will find
are shown in red beside the item and counted on the status bar. Ctrl+Shift+F searches every
register at once.</p>
"""


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for each action that has a shortcut, in menu order."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        menu = action.menu()
        if menu is not None:
            rows += shortcut_rows(menu.actions())
            continue
        keys = list(  # one platform may give the same keys twice (Redo)
            dict.fromkeys(
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
                if not k.isEmpty()
            )
        )
        if keys:
            rows.append((" or ".join(keys), action.text().replace("&", "").rstrip("…")))
    return rows


# Keys that work inside a register's list rather than from a menu.
TAB_KEYS = (
    ("Insert", "Add an item to the list shown: an AI system, a risk, an issue..."),
    ("Ctrl+D", "Duplicate the selected AI system (Inventory)"),
    ("Delete", "Delete the selected item; Ctrl+Z brings it back"),
    ("Tab / Shift+Tab", "Move between the fields of a form; leaving a field saves it"),
)


def help_html(actions: Iterable[QAction]) -> str:
    rows = shortcut_rows(actions) + list(TAB_KEYS)
    table = "".join(
        f"<tr><td style='padding-right:16px'><b>{esc(keys)}</b></td><td>{esc(what)}</td></tr>"
        for keys, what in rows
    )
    return GETTING_STARTED + f"<h2>Keyboard shortcuts</h2><table>{table}</table>"


class HelpDialog(QDialog):
    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("AIMS Prep Help")
        self.resize(720, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(help_html(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
