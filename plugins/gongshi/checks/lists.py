"""Cells that hold a list of codes (the units that co-sign a notice, the villages of a project): each code must be
one the county has, as a foreign key would require of a single one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from ..package.read import Normalized
from ..personal import mask_numbers
from ..problems import Problem, error
from ..schemas import SchemaSet


def list_reference_problems(tables: Mapping[str, Normalized], path, schemas: SchemaSet) -> Iterator[Problem]:
    """A foreign-key-error for each code of a list cell that its table of reference does not have."""
    for name, table in tables.items():
        for spec in schemas.fields(name):
            target = spec.get("references")
            if not target or table.frame is None or spec["name"] not in table.frame.columns:
                continue
            lookup = tables.get(target["resource"])
            if lookup is None or lookup.frame is None:
                continue  # the table it refers to is missing or unreadable, and said so already
            known = set(lookup.frame[target["fields"][0]].to_list())
            column = table.frame[spec["name"]]
            odd = table.frame.with_row_index("_i").filter(
                (column != "") & column.str.split(spec["separator"]).list.eval(~pl.element().is_in(list(known))).list.any())
            for i, value in zip(odd["_i"].to_list(), odd[spec["name"]].to_list(), strict=True):
                missing = [code for code in value.split(spec["separator"]) if code not in known]
                row = table.rows[i] if table.rows else i + 2
                title = spec.get("title", spec["name"])
                target_title = schemas.tables[target["resource"]].get("title", target["resource"])
                shown = mask_numbers("、".join(missing))  # a phone number typed here is not said back
                yield error("foreign-key-error", path(name), row, spec["name"],
                            f"「{title}」（{spec['name']}）的“{shown}”在 {target['resource']}.csv（{target_title}）中"
                            f"找不到。请先在 {target['resource']}.csv 中添加，或改成已有的编号/代码。",
                            f"{spec['name']}: {shown!r} is not found in {target['resource']}.csv; add it there or "
                            "use an existing one.")
