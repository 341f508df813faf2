"""The People area's registers, described: everything generic about them comes from here."""

from __future__ import annotations

from app.services.registers.description import Register

REGISTERS: tuple[Register, ...] = ()
