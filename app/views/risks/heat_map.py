"""The risk matrix drawn as a heat map: likelihood up, impact across, each cell coloured by
its level band and showing how many risks sit there. Clicking a cell asks to filter on it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.services import words
from app.services.risks import heat_colours
from app.services.risks.criteria import Criteria


class HeatMap(QWidget):
    cellClicked = Signal(int, int)  # likelihood, impact (1-based)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria: Criteria | None = None
        self.counts: dict[tuple[int, int], int] = {}
        self.selected: tuple[int, int] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(170)
        self.setMouseTracking(True)

    def set_data(self, criteria: Criteria, counts: dict[tuple[int, int], int]) -> None:
        self.criteria = criteria
        self.counts = counts
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 190)

    def axis_labels(self) -> tuple[list[str], list[str]]:
        """The scale labels on the axes, from the engagement's criteria: likelihood from the
        top ("5 Almost certain") down, impact from the left."""
        assert self.criteria is not None
        c = self.criteria
        likelihood = [f"{n} {c.likelihood[n - 1].label}" for n in range(len(c.likelihood), 0, -1)]
        impact = [f"{n} {level.label}" for n, level in enumerate(c.impact, start=1)]
        return likelihood, impact

    def _grid(self) -> tuple[float, float, float, float]:
        """left, top, cell width, cell height."""
        assert self.criteria is not None
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in self.axis_labels()[0])
        left = float(min(widest + 8, self.width() * 0.4))  # the likelihood labels fit
        top, bottom = 4.0, 20.0
        columns, rows = len(self.criteria.impact), len(self.criteria.likelihood)
        return (
            left,
            top,
            (self.width() - left - 4) / columns,
            (self.height() - top - bottom) / rows,
        )

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        if self.criteria is None:
            return None
        left, top, width, height = self._grid()
        impact = int((x - left) // width) + 1
        likelihood = len(self.criteria.likelihood) - int((y - top) // height)
        if 1 <= impact <= len(self.criteria.impact) and 1 <= likelihood <= len(
            self.criteria.likelihood
        ):
            return likelihood, impact
        return None

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.criteria is not None:
            cell = self.cell_at(event.position().x(), event.position().y())
            if cell is not None:  # the labels in full, however narrow the cells
                c = self.criteria
                likelihood, impact = cell
                QToolTip.showText(
                    event.globalPos(),
                    f"Likelihood {likelihood} {c.likelihood[likelihood - 1].label}, "
                    f"impact {impact} {c.impact[impact - 1].label}: "
                    f"{words.count(self.counts.get(cell, 0), 'risk')}",
                    self,
                )
                return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is not None:
            self.cellClicked.emit(*cell)

    def paintEvent(self, event) -> None:
        if self.criteria is None:
            return
        c = self.criteria
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, top, width, height = self._grid()
        bold = QFont(self.font())
        bold.setBold(True)
        for likelihood in range(1, len(c.likelihood) + 1):
            for impact in range(1, len(c.impact) + 1):
                rect = QRectF(
                    left + (impact - 1) * width,
                    top + (len(c.likelihood) - likelihood) * height,
                    width,
                    height,
                )
                fill = heat_colours.band_colour(c, c.score(likelihood, impact))
                painter.fillRect(rect, QColor(fill))
                selected = self.selected == (likelihood, impact)
                painter.setPen(
                    QPen(QColor("#222" if selected else "#ffffff"), 3 if selected else 1)
                )
                painter.drawRect(rect)
                count = self.counts.get((likelihood, impact), 0)
                if count:
                    painter.setFont(bold)
                    painter.setPen(QColor(heat_colours.text_colour(fill)))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        painter.setFont(self.font())
        painter.setPen(QColor("#444"))
        metrics = self.fontMetrics()
        likelihood_labels, impact_labels = self.axis_labels()
        for row, label in enumerate(likelihood_labels):
            painter.drawText(
                QRectF(0, top + row * height, left - 4, height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(left - 4)),
            )
        for column, label in enumerate(impact_labels):
            x = left + column * width
            painter.drawText(
                QRectF(x, self.height() - 18, width, 16),
                Qt.AlignmentFlag.AlignCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(width - 2)),
            )
        painter.end()
