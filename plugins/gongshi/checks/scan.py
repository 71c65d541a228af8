"""Scan any CSV or XLSX file for personal numbers and unmasked names, before it is committed or published."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

from ..problems import Problem, error
from ..schemas import SchemaSet, load_schemas
from ..text import decode
from .privacy import privacy_problems

SUFFIXES = (".csv", ".xlsx", ".xlsm")
# In a file that is not one of our tables, a column whose header is one of these holds people's names.
NAME_HEADERS = {"household", "name", "姓名", "户主", "户主姓名", "受益人", "受益人姓名", "受益户", "农户姓名"}


def _name_column(header: str) -> bool:
    folded = header.strip().lower()
    return folded in NAME_HEADERS or folded.endswith("姓名")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    return str(value)


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, str]]:
    """Yield (sheet title, sheet as CSV text) for every sheet of a workbook."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in sheet.iter_rows(values_only=True):
                writer.writerow([_cell_text(v) for v in row])
            yield sheet.title, buffer.getvalue()
    finally:
        workbook.close()


def scan_text(text: str, display: str, schemas: SchemaSet | None = None) -> list[Problem]:
    """Scan a table's text: with its schema when the file is named after one of our tables, else by its headers."""
    stem = Path(display.split("#")[0]).stem
    schemas = schemas or load_schemas()
    if stem in schemas.tables:
        fields = schemas.fields(stem)
    else:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
        fields = [{"name": h, "type": "string", "maskedName": _name_column(h)} for h in header if h]
    return list(privacy_problems(text, fields, display))


def scan_bytes(data: bytes, display: str, schemas: SchemaSet | None = None) -> list[Problem]:
    """Return the leaks found in one file's content; a file that cannot be read is an error too."""
    if display.lower().endswith((".xlsx", ".xlsm")):
        try:
            return [p for title, text in _xlsx_sheets(data) for p in scan_text(text, f"{display}#{title}", schemas)]
        except Exception as exc:  # noqa: BLE001 - a damaged workbook is reported, whatever openpyxl raises
            return [error("file-unreadable", display, None, None, f"无法读取这个 XLSX 文件（{exc}），未能检查。",
                          f"The XLSX file cannot be read ({exc}); it was not checked.")]
    text = decode(data).text
    if text is None:
        return [error("file-unreadable", display, None, None, "文件既不是 UTF-8 也不是 GBK 编码，未能检查。",
                      "The file is neither UTF-8 nor GBK; it was not checked.")]
    return scan_text(text, display, schemas)


def scan_paths(paths: list[Path], schemas: SchemaSet | None = None) -> list[Problem]:
    """Scan files, and every CSV/XLSX under folders."""
    problems = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()) \
            if path.is_dir() else [path]
        for file in files:
            problems.extend(scan_bytes(file.read_bytes(), str(file), schemas))
    return problems


def scan_staged(repo: Path, schemas: SchemaSet | None = None) -> list[Problem]:
    """Scan the staged version of every added or changed CSV/XLSX file: exactly what a commit would record."""
    names = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"], cwd=repo,
                           capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    problems = []
    for name in names:
        if name.lower().endswith(SUFFIXES):
            data = subprocess.run(["git", "show", f":{name}"], cwd=repo, capture_output=True, check=True).stdout
            problems.extend(scan_bytes(data, name, schemas))
    return problems


HOOK = """#!/bin/sh
# gongshi: stop personal ID, mobile and bank numbers, and unmasked names, before they are committed.
exec gongshi scan --staged
"""
