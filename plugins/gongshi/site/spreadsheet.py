"""Spreadsheet-friendly downloads: every table as CSV (UTF-8 with BOM, for Excel) and one XLSX, formulas neutralised.

These are conveniences made from the checked values; the signed package stays byte for byte what the county signed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from ..package.records import parse_value
from ..schemas import SchemaSet

# A cell a spreadsheet would run: =, +, -, @, tab or carriage return first, unless it is just a number.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def neutralise(text: str) -> str:
    """Return text that a spreadsheet shows as text: a leading quote before anything it would evaluate."""
    if text.startswith(_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_rows(text: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    return header, list(reader)


def write_table(target: Path, headers: list[list[str]], rows) -> None:
    """Write a table for Excel: a byte-order mark so Chinese opens right, the header rows as they are, then the rows
    with every text cell neutralised and an empty cell for None."""
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerows(headers)
        writer.writerows(["" if cell is None else neutralise(cell) if isinstance(cell, str) else cell for cell in row]
                         for row in rows)


def write_csv(target: Path, text: str) -> None:
    """Write one table of a package for Excel."""
    header, rows = table_rows(text)
    write_table(target, [header], rows)


def write_xlsx(target: Path, tables: dict[str, str], schemas: SchemaSet) -> None:
    """Write one workbook, a sheet per table: Chinese titles over field names, numbers as numbers, text neutralised.

    The same data always gives the same bytes (so the published hash is stable): the workbook's times are pinned.
    """
    import xlsxwriter

    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(str(target), options)
    workbook.set_properties({"created": FIXED_TIME})
    for name, text in tables.items():
        sheet = workbook.add_worksheet(name[:31])
        fields = {f["name"]: f for f in schemas.fields(name)}
        header, rows = table_rows(text)
        sheet.write_row(0, 0, [fields.get(h, {}).get("title", h) for h in header])
        sheet.write_row(1, 0, header)
        kinds = [fields.get(column, {}).get("type", "string") for column in header]
        for number, row in enumerate(rows, start=2):
            for column, (kind, cell) in enumerate(zip(kinds, row, strict=False)):
                value = parse_value(cell, kind) if kind in ("number", "integer") else None
                if value is None:
                    if cell:
                        sheet.write_string(number, column, neutralise(cell))
                else:
                    # Money as a float of two-decimal yuan is what spreadsheets sum; the CSV keeps it exact.
                    sheet.write_number(number, column, float(value))
    workbook.close()


FIXED_TIME = dt.datetime(2000, 1, 1)
