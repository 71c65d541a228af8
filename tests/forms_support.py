"""What the forms tests share: the demo's forms made once, a fresh copy of its package, and a clerk's hands (type
into cells, edit a workbook)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from openpyxl import load_workbook

from gongshi.forms import load_forms
from gongshi.forms.make import make_forms
from gongshi.schemas import load_schemas
from gongshi.settings import Settings

from conftest import ROOT

DEMO = ROOT / "data" / "519901"
SCHEMAS = load_schemas()
FORMS = load_forms(SCHEMAS)
PROJECT = "XM2025-005"


def make_demo_forms(out: Path) -> dict[str, Path]:
    """The demo's blank forms and XM2025-005's prefilled ones, by "form:what" (acceptance:XM2025-005)."""
    return {f"{m.form}:{m.path.stem.split('-', 2)[-1]}": m.path
            for m in make_forms(DEMO, out, Settings(), project=PROJECT, made_on=dt.date(2026, 12, 2))}


def copy_demo(tmp_path: Path) -> Path:
    folder = tmp_path / "519901"
    shutil.copytree(DEMO, folder)
    return folder


def csv_rows(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def where(result) -> set[tuple[str, str | None, str | None]]:
    return {(p.code, p.sheet, p.cell) for p in result.problems}


def fill(source: Path, target: Path, sheet: str, cells: dict[str, object]) -> Path:
    """A copy of a form with these cells typed in, as a clerk would (openpyxl ignores the validations, as a paste
    does)."""
    book = load_workbook(source)
    for ref, value in cells.items():
        book[sheet][ref].value = value
    book.save(target)
    return target


def edited(source: Path, target: Path, change) -> Path:
    book = load_workbook(source)
    change(book)
    book.save(target)
    return target


def valid_row(sheet, row=7):
    sheet[f"B{row}"], sheet[f"C{row}"], sheet[f"D{row}"] = "县级验收", dt.datetime(2025, 12, 11), "合格"
