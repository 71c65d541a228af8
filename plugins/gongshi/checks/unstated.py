"""Facts a notice does not state: each empty cell of a field that may be left empty is said, never filled in.

Real notices leave out the notice period, the 文号, the responsible person, the performance targets. A clerk leaves
those cells empty (or writes （原公告未载明）, which the reader takes as empty); the site then shows 未载明, and this
check gives a `not-stated` warning per record and field, which a supervisor can count. A county that sets
`gongshi.strict` makes them errors for its records from that year on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from ..package.read import Normalized, unstated
from ..problems import Problem
from ..schemas import SchemaSet


def unstated_problems(tables: Mapping[str, Normalized], path, schemas: SchemaSet) -> Iterator[Problem]:
    """A not-stated warning for each empty cell of a field marked mayBeUnstated (columns a file lacks are said once,
    by the reader)."""
    for name, table in tables.items():
        if table.frame is None or not len(table.frame):
            continue
        specs = [f for f in schemas.fields(name) if f.get("mayBeUnstated") and f["name"] in table.frame.columns
                 and f["name"] not in table.missing_fields]
        if not specs:
            continue
        keys = schemas.tables[name].get("primaryKey", [])
        empty = [(pl.col(f["name"]) == "").alias(f"_e{n}") for n, f in enumerate(specs)]
        found = (table.frame.lazy().with_row_index("_i").with_columns(empty)
                 .filter(pl.any_horizontal(e.meta.output_name() for e in empty))
                 .select("_i", *keys, *(e.meta.output_name() for e in empty)).collect())
        for row in found.iter_rows(named=True):
            record = " / ".join(row[k] for k in keys if row[k]) or None
            number = table.rows[row["_i"]] if table.rows else row["_i"] + 2
            for n, spec in enumerate(specs):
                if row[f"_e{n}"]:
                    yield unstated(path(name), number, spec["name"], spec, record=record)
