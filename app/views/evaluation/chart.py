"""A small chart of one objective: its measurements over time as a line, the target as a
dashed line across, each point marked green when on the target's side and red when not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services.engagement.fields import format_number
from app.services.evaluation.objectives import Point

_ON, _OFF, _LINE = QColor("#2e7d32"), QColor("#c62828"), QColor("#1f5f8b")
_AXIS, _MUTED = QColor("#9aa5ad"), QColor("#5f6b73")


class ObjectiveChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[Point] = []
        self.target: float | None = None
        self.at_least = True
        self.unit = ""
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:
        return QSize(360, 150)

    def show_series(
        self,
        points: Sequence[Point],
        target: float | None,
        at_least: bool,
        unit: str,
        empty_text: str = "No measurements to draw yet.",
    ) -> None:
        self.points, self.target, self.at_least = list(points), target, at_least
        self.unit, self.empty_text = unit, empty_text
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words (its tooltip, and what a screen reader is told)."""
        if not self.points:
            return self.empty_text
        shown = ", ".join(f"{p.on.isoformat()}: {format_number(p.value)}" for p in self.points)
        target = "" if self.target is None else f"; target {format_number(self.target)}"
        return f"{shown}{target}"

    def _met(self, value: float) -> bool:
        if self.target is None:
            return True
        return value >= self.target if self.at_least else value <= self.target

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(44, 10, -14, -22)
        painter.setPen(_MUTED)
        if not self.points:
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        values = [p.value for p in self.points] + ([self.target] if self.target is not None else [])
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
        low, high = low - pad, high + pad
        first, last = self.points[0].on, self.points[-1].on
        span = max((last - first).days, 1)

        def at(on: dt.date, value: float) -> QPointF:
            x = box.left() + box.width() * ((on - first).days / span if last != first else 0.5)
            y = box.bottom() - box.height() * (value - low) / (high - low)
            return QPointF(x, y)

        painter.setPen(QPen(_AXIS, 1))
        painter.drawLine(box.bottomLeft(), box.bottomRight())
        painter.drawLine(box.bottomLeft(), box.topLeft())
        metrics = painter.fontMetrics()
        painter.setPen(_MUTED)
        for value in (low + pad, high - pad):
            y = at(first, value).y()
            text = format_number(round(value, 2))
            painter.drawText(
                QRectF(0, y - 8, box.left() - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        base = box.bottom() + 4 + metrics.ascent()
        painter.drawText(QPointF(box.left(), base), first.isoformat())
        if last != first:
            label = last.isoformat()
            painter.drawText(QPointF(box.right() - metrics.horizontalAdvance(label), base), label)
        if self.target is not None:
            y = at(first, self.target).y()
            pen = QPen(_OFF, 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(box.left(), y), QPointF(box.right(), y))
            side = "≥" if self.at_least else "≤"
            text = f"target {side} {format_number(self.target)} {self.unit}".rstrip()
            painter.drawText(QPointF(box.left() + 6, y - 3), text)  # the latest is on the right
        painter.setPen(QPen(_LINE, 2))
        painter.drawPolyline(QPolygonF([at(p.on, p.value) for p in self.points]))
        for p in self.points:
            colour = _ON if self._met(p.value) else _OFF
            painter.setPen(QPen(colour.darker(120), 1))
            painter.setBrush(colour)
            painter.drawEllipse(at(p.on, p.value), 3.5, 3.5)
