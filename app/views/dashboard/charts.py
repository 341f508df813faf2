"""The dashboard's small charts: readiness by clause as bars, the risk profile as a heat map.
Each is clickable, and keyboard driven (arrows move, Return opens), and says itself in
words in its tooltip."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_BAR, _BACK = QColor("#1f5f8b"), QColor("#e8edf0")
_TEXT, _FOCUS = QColor("#33414a"), QColor("#e0a800")
_ROW = 20


class ClauseBars(QWidget):
    """One bar per clause (and Annex A objective), its readiness in per cent."""

    chosen = Signal(str)  # the clause clicked, or Return on the highlighted one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, float] = {}
        self.titles: dict[str, str] = {}
        self.at = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: Mapping[str, float], titles: Mapping[str, str]) -> None:
        self.values, self.titles = dict(values), dict(titles)
        self.at = min(self.at, max(len(self.values) - 1, 0))
        self.setFixedHeight(max(_ROW * len(self.values) + 8, 40))
        self.setToolTip(
            "\n".join(f"{c} {self.titles.get(c, '')}: {v:g}%" for c, v in self.values.items())
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, _ROW * max(len(self.values), 2) + 8)

    def clause_at(self, y: float) -> str | None:
        row = int((y - 4) // _ROW)
        keys = list(self.values)
        return keys[row] if 0 <= row < len(keys) else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        clause = self.clause_at(event.position().y())
        if clause is not None:
            self.at = list(self.values).index(clause)
            self.update()
            self.chosen.emit(clause)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = list(self.values)
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and keys:
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            self.at = max(0, min(len(keys) - 1, self.at + step))
            self.update()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and keys:
            self.chosen.emit(keys[self.at])
        else:
            super().keyPressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        label_w, value_w = 46.0, 48.0
        width = self.width() - label_w - value_w - 8
        for n, (clause, value) in enumerate(self.values.items()):
            top = 4 + n * _ROW
            painter.setPen(_TEXT)
            painter.drawText(QRectF(0, top, label_w - 4, _ROW), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, clause)  # fmt: skip
            back = QRectF(label_w, top + 3, width, _ROW - 6)
            painter.fillRect(back, _BACK)
            painter.fillRect(QRectF(label_w, top + 3, width * value / 100, _ROW - 6), _BAR)
            if self.hasFocus() and n == self.at:
                painter.setPen(QPen(_FOCUS, 2))
                painter.drawRect(back.adjusted(-2, -2, 2, 2))
            painter.setPen(_TEXT)
            painter.drawText(QRectF(label_w + width + 6, top, value_w, _ROW),
                             Qt.AlignmentFlag.AlignVCenter, f"{value:g}%")  # fmt: skip
