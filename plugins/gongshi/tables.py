"""Read a resource's CSV into typed records (Decimal money, dates), keeping spreadsheet row numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

import polars as pl

ROW = "_row"  # the spreadsheet row number of a record: the header is row 1
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    if type_ == "date":
        if not _DATE.fullmatch(text):
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return text


def read_records(text: str, fields: list[dict], rows: list[int]) -> list[dict]:
    """Return the rows of a table's canonical text as typed records, each with its spreadsheet row number."""
    types = {f["name"]: f.get("type", "string") for f in fields}
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
    columns = []
    for f in fields:
        col = frame.get_column(f["name"])
        type_ = f.get("type", "string")
        if type_ == "string":
            columns.append(col.zip_with(col != "", pl.Series([None] * len(col), dtype=pl.String)).to_list())
            continue
        if type_ == "integer":
            plain = col.str.contains(r"^-?[0-9]{1,18}$")
            typed = col.cast(pl.Int64, strict=False)
        elif type_ == "date":
            plain = col.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & ~col.str.starts_with("0000")
            typed = col.str.to_date("%Y-%m-%d", strict=False)
        else:
            columns.append([parse_value(text, type_) for text in col.to_list()])
            continue
        values = typed.zip_with(plain, pl.Series([None] * len(col), dtype=typed.dtype)).to_list()
        for i in (~plain & (col != "")).arg_true().to_list():
            values[i] = parse_value(col[i], type_)
        columns.append(values)
    keys = [f["name"] for f in fields] + [ROW]
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, rows, strict=True)]


def read_raw_cells(text: str):
    """Yield (row, header, cell text) for every non-empty cell of a CSV text, as the spreadsheet numbers rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for number, cells in enumerate(reader, start=2):
        for i, cell in enumerate(cells):
            if cell:
                yield number, header[i] if i < len(header) else None, cell
