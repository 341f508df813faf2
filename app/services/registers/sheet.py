"""A described register as a workbook sheet: an ID column, then a column per field."""

from __future__ import annotations

import dataclasses

from app.services.engagement.file import EngagementFile
from app.services.registers import service
from app.services.registers.description import Register
from app.services.workbook.areas import Area, Column, Row, changed, same, spec_columns


def area_of(reg: Register) -> Area:
    names = [f.name for f in reg.fields]

    def load(ef: EngagementFile) -> dict[str, Row]:
        return {i.id: {"id": i.id, **i.values} for i in service.list_items(ef, reg)}

    def save(ef: EngagementFile, item_id: str | None, row: Row, before: Row | None) -> str:
        if before is None:
            return service.create(
                ef, reg, {k: v for k, v in row.items() if k in names or k == "id"}
            )
        assert item_id is not None
        service.update(ef, reg, item_id, changed(before, row, names))
        return item_id

    def set_deleted(ef: EngagementFile, item_id: str, deleted: bool) -> None:
        service.set_deleted(ef, reg, item_id, deleted)

    long_fields = [f.name for f in reg.fields if f.kind == "long"]
    return Area(
        kind=reg.key,
        entity=reg.entity,
        sheet=reg.sheet_name,
        noun=reg.noun,
        columns=(
            Column("id", "ID", width=12, synonyms=(f"{reg.noun} id",)),
            *(
                dataclasses.replace(c, width=40) if c.key == reg.name_field else c  # its name
                for c in spec_columns(reg.spec, reg.synonyms)
            ),
        ),
        load=load,
        save=save,
        set_deleted=set_deleted,
        extras=long_fields[-1],
        match=same(*reg.matched_by),
        matched_by=" and ".join(reg.spec[n].label.lower() for n in reg.matched_by),
        signature=frozenset(reg.signature),
        named_by=reg.name_field,
    )
