"""Read a resource's CSV into typed records (Decimal money, dates), keeping spreadsheet row numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

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


def read_raw_cells(text: str):
    """Yield (row, header, cell text) for every non-empty cell of a CSV text, as the spreadsheet numbers rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for number, cells in enumerate(reader, start=2):
        for i, cell in enumerate(cells):
            if cell:
                yield number, header[i] if i < len(header) else None, cell
