"""Read a resource's CSV into typed records (Decimal money, dates), keeping spreadsheet row numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

import polars as pl

from .. import dates

ROW = "_row"  # the spreadsheet row number of a record: the header is row 1
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


LIST_SEPARATOR = "、"  # between the items of a list cell: co-signing units, a project's villages, attachments


def list_items(cell: str | None) -> list[str]:
    """The items of a list cell, in its order, each once."""
    return list(dict.fromkeys(part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()))


def parse_value(text: str, type_: str):
    """Return the typed value of a cell, or None when it is empty or not of its type."""
    if text == "":
        return None
    if type_ == "integer":
        return int(text) if _INTEGER.fullmatch(text) else None
    if type_ == "number":
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None
    if type_ in ("partial-start", "partial-end"):
        return dates.parse(text, end=type_ == "partial-end")
    if type_ == "date":
        if not _DATE.fullmatch(text):
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return text


def type_of(field: dict) -> str:
    """The type a cell is read as: a schema type, or partial-start / partial-end for a date written to the day, the
    month or the year (a start is its period's first day, an end its last)."""
    partial = field.get("partialDate")
    return f"partial-{partial}" if partial else field.get("type", "string")


def read_records(text: str, fields: list[dict], rows: list[int]) -> list[dict]:
    """Return the rows of a table's canonical text as typed records, each with its spreadsheet row number."""
    types = {f["name"]: type_of(f) for f in fields}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    positions = [(i, name) for i, name in enumerate(header) if name in types]
    records = []
    for number, cells in zip(rows, reader, strict=False):
        record = {name: None for name in types}
        for i, name in positions:
            if i < len(cells):
                record[name] = parse_value(cells[i], types[name])
        record[ROW] = number
        records.append(record)
    return records


def frame_records(frame: pl.DataFrame, fields: list[dict], rows: list[int]) -> list[dict]:
    """Return what `read_records` returns, from a table's canonical frame (one string column per field)."""
    typed, odd, numbers = [], [], []
    partials = []
    for f in fields:
        name, type_ = f["name"], type_of(f)
        col = pl.col(name)
        if type_.startswith("partial-"):
            typed.append(pl.when(col != "").then(col).alias(name))
            partials.append((name, type_ == "partial-end"))
            continue
        if type_ == "integer":
            plain = col.str.contains(r"^-?[0-9]{1,18}$")
            typed.append(pl.when(plain).then(col.cast(pl.Int64, strict=False)).alias(name))
        elif type_ == "date":
            plain = col.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & ~col.str.starts_with("0000")
            typed.append(pl.when(plain).then(col.str.to_date("%Y-%m-%d", strict=False)).alias(name))
        else:
            typed.append(pl.when(col != "").then(col).alias(name))
            numbers += [name] if type_ == "number" else []
            continue
        odd.append(~plain & (col != ""))
    table = frame.select(*typed, pl.Series(ROW, rows, dtype=pl.Int64))
    records = list(table.iter_rows(named=True))
    for name in numbers:
        for record in records:
            if record[name] is not None:
                record[name] = parse_value(record[name], "number")
    for name, end in partials:
        for record in records:
            if record[name] is not None:
                record[name] = dates.parse(record[name], end=end)
    if odd:
        types = {f["name"]: f.get("type", "string") for f in fields}
        for i in frame.select(pl.any_horizontal(odd).arg_true()).to_series().to_list():
            for name, type_ in types.items():
                if type_ in ("integer", "date") and records[i][name] is None:
                    records[i][name] = parse_value(frame[name][i], type_)
    return records
