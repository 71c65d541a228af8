"""Cells that hold a list of codes (the units that co-sign a notice, the villages of a project): each code must be
one the county has, as a foreign key would require of a single one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from ..package.read import Normalized
from ..personal import mask_numbers
from ..problems import Problem, error
from ..schemas import OPTIONAL_RESOURCES, SchemaSet


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


def missing_table_problems(tables: Mapping[str, Normalized], path, schemas: SchemaSet,
                           present: set[str]) -> Iterator[Problem]:
    """An error where a row refers to a table the package does not have (an accountability action naming a problem
    when there is no problem ledger): the reference cannot be checked, and the page would have nothing to show."""
    for name, table in tables.items():
        if table.frame is None:
            continue
        for fk in schemas.tables[name].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            # Only an optional table can be left out; a missing required one is reported already.
            if target not in OPTIONAL_RESOURCES or target in present or any(f not in table.frame.columns
                                                                              for f in fields):
                continue
            column = table.frame[fields[0]]
            used = table.frame.with_row_index("_i").filter(column != "")
            if used.height == 0:
                continue
            i = used["_i"][0]
            row = table.rows[i] if table.rows else i + 2
            title = next((f.get("title", f["name"]) for f in schemas.fields(name) if f["name"] == fields[0]), fields[0])
            target_title = schemas.tables[target].get("title", target)
            yield error("reference-table-missing", path(name), row, fields[0],
                        f"「{title}」（{fields[0]}）有 {used.height} 行填了编号，但数据包里没有 {target}.csv"
                        f"（{target_title}），无法核对。请把 {target}.csv 加进数据包，或清空这一列。",
                        f"{fields[0]} is filled in {used.height} row(s), but the package has no {target}.csv to "
                        "check it against: add that table, or clear the column.")
