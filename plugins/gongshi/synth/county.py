"""What every synthetic county shares: its tables, row by row, and how they are written as a package."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..package.descriptor import build_descriptor, write_descriptor
from ..schemas import ALL_RESOURCES, RESOURCES, SchemaSet, load_schemas


def cell(value: object) -> str:
    """One CSV value: money with two decimals, ISO dates, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class SyntheticCounty:
    """The tables of one synthetic county: `tables[resource]` holds its rows, as dicts by field name or as lists in
    the schema's field order. Subclasses fill them; `write` makes them a package."""

    def __init__(self, code: str, schemas: SchemaSet | None = None) -> None:
        self.code = code
        self.schemas = schemas or load_schemas()
        self.tables: dict[str, list] = {name: [] for name in ALL_RESOURCES}

    def write(self, folder: str | Path, title: str, *, demo: bool = False, optional: tuple[str, ...] = (),
              extra: dict | None = None) -> int:
        """Write the required tables, those of `optional`, and datapackage.json into folder; return the rows."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        rows = 0
        for resource in (*RESOURCES, *optional):
            names = [f["name"] for f in self.schemas.fields(resource)]
            short = [row for row in self.tables[resource] if not isinstance(row, dict) and len(row) != len(names)]
            if short:  # a row given by position must have every column of the schema, in its order
                raise ValueError(f"{resource}: a row has {len(short[0])} cells, the schema {len(names)}: {names}")
            with open(folder / f"{resource}.csv", "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(names)
                writer.writerows([cell(row.get(n)) for n in names] if isinstance(row, dict) else [cell(v) for v in row]
                                 for row in self.tables[resource])
            rows += len(self.tables[resource])
        write_descriptor(folder, build_descriptor(self.code, title, demo=demo, schemas=self.schemas, optional=optional,
                                                  extra=extra))
        return rows
