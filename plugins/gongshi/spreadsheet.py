"""Spreadsheet-friendly downloads: every table as CSV (UTF-8 with BOM, for Excel) and one XLSX, formulas neutralised.

These are conveniences made from the checked values; the signed package stays byte for byte what the county signed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from .schemas import SchemaSet
from .tables import parse_value

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


def write_csv(target: Path, text: str) -> None:
    """Write one table for Excel: a byte-order mark so Chinese opens right, every text cell neutralised."""
    header, rows = table_rows(text)
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)


def write_xlsx(target: Path, tables: dict[str, str], schemas: SchemaSet) -> None:
    """Write one workbook, a sheet per table: Chinese titles over field names, numbers as numbers, text neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, text in tables.items():
        sheet = workbook.create_sheet(title=name[:31])
        fields = {f["name"]: f for f in schemas.fields(name)}
        header, rows = table_rows(text)
        sheet.append([fields.get(h, {}).get("title", h) for h in header])
        sheet.append(header)
        for row in rows:
            cells = []
            for column, cell in zip(header, row, strict=False):
                kind = fields.get(column, {}).get("type", "string")
                value = parse_value(cell, kind) if kind in ("number", "integer") else None
                # Money stays exact as text would not sum; a float of two-decimal yuan is what spreadsheets use.
                cells.append(float(value) if isinstance(value, Decimal) else value if value is not None
                             else neutralise(cell))
            sheet.append(cells)
    workbook.save(target)
    _make_reproducible(target)


_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _make_reproducible(path: Path) -> None:
    """Pin the times a workbook records, so the same data always gives the same bytes (and published hash)."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<3>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data, compress_type=zipfile.ZIP_DEFLATED)
