"""The Evaluation and improvement area's registers, in the order its tab shows them. Each
topic describes its own registers in its module (objectives, audits, nonconformities,
reviews); this list gathers them."""

from __future__ import annotations

from app.services.evaluation import audits, nonconformities, objectives, reviews
from app.services.registers.description import Register

REGISTERS: tuple[Register, ...] = (
    *objectives.REGISTERS,
    *audits.REGISTERS,
    *nonconformities.REGISTERS,
    *reviews.REGISTERS,
)
