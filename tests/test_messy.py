"""Messy input from real offices: each case a fixture named after it, repaired with a warning or refused with an error."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from gongshi.county import check_county
from gongshi.settings import Settings

from conftest import FIXTURES, GOOD

MESSY = FIXTURES / "messy"

# (code, file, row, field) reported, and for repairs: (table, spreadsheet row, field, value the site will use).
CASES = {
    "saved-as-gbk": ([("encoding-repaired", "projects.csv", None, None)],
                     ("projects", 2, "name", "一村茶叶基地提升项目")),
    "utf8-bom": ([("bom-removed", "units.csv", None, None)], ("units", 2, "unit_id", "czj")),
    "crlf-line-ends": ([("line-endings-repaired", "regions.csv", None, None)], ("regions", 5, "name", "二村")),
    "trailing-empty-column": ([("empty-column-removed", "allocations.csv", 1, None)],
                              ("allocations", 3, "allocation_basis", None)),
    "code-in-scientific-notation": ([("code-mangled", "regions.csv", 5, "parent_code")], None),
    "code-in-full-scientific-notation": ([("value-repaired", "regions.csv", 5, "parent_code")],
                                         ("regions", 5, "parent_code", "519902100000")),
    "code-with-point-zero": ([("value-repaired", "projects.csv", 2, "region_code")],
                             ("projects", 2, "region_code", "519902100201")),
    "code-lost-digits": ([("code-mangled", "regions.csv", 5, "parent_code")], None),
    "full-width-amount": ([("value-repaired", "allocations.csv", 2, "amount")],
                          ("allocations", 2, "amount", Decimal("100000.00"))),
    "thousands-separator": ([("value-repaired", "allocations.csv", 2, "amount")],
                            ("allocations", 2, "amount", Decimal("100000.00"))),
    "amount-in-wan-yuan": ([("value-repaired", "allocations.csv", 3, "amount")],
                           ("allocations", 3, "amount", Decimal("50000.00"))),
    "amount-with-yuan-sign": ([("value-repaired", "allocations.csv", 2, "amount")],
                              ("allocations", 2, "amount", Decimal("100000.00"))),
    "date-with-slashes": ([("value-repaired", "projects.csv", 2, "end_date"),
                           ("value-repaired", "projects.csv", 2, "start_date")],
                          ("projects", 2, "end_date", dt.date(2025, 8, 31))),
    # Spreadsheet serial 45905 counts days from 1899-12-30, as spreadsheets on Windows do.
    "date-as-excel-serial": ([("value-repaired", "acceptances.csv", 2, "accepted_on")],
                             ("acceptances", 2, "accepted_on", dt.date(1899, 12, 30) + dt.timedelta(days=45905))),
    "chinese-headers": ([("header-repaired", "units.csv", 1, f) for f in ("kind", "name", "phone", "region_code", "unit_id")],
                        ("units", 3, "name", "甲镇人民政府")),
    "columns-reordered": ([("columns-reordered", "units.csv", 1, None)], ("units", 2, "unit_id", "czj")),
    "column-missing": ([("missing-label", "notices.csv", 1, "project_id")], None),
    # Two blank rows are dropped; the acceptance below them keeps the row number the spreadsheet shows (4).
    "blank-rows": ([("blank-row-removed", "acceptances.csv", 2, None), ("blank-row-removed", "acceptances.csv", 3, None),
                    ("date-order", "acceptances.csv", 4, "accepted_on")], ("acceptances", 4, "project_id", "XM-1")),
    "level-in-chinese": ([("value-repaired", "regions.csv", 4, "level")], ("regions", 4, "level", "village")),
    "id-number-split-across-cells": ([("id-number-published", "acceptances.csv", 2, "inspectors+notes")], None),
}


def check(defect: str, tmp_path: Path):
    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    for file in (MESSY / defect).iterdir():
        shutil.copy(file, folder / file.name)
    return check_county(folder, Settings())


def test_every_messy_fixture_is_listed():
    assert sorted(p.name for p in MESSY.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("defect", sorted(CASES))
def test_messy_input_is_repaired_or_refused_precisely(defect, tmp_path):
    result = check(defect, tmp_path)
    expected, repaired = CASES[defect]
    assert sorted(((p.code, Path(p.path).name, p.row, p.field) for p in result.problems), key=str) == sorted(expected, key=str)
    for problem in result.problems:
        assert any("\u4e00" <= c <= "\u9fff" for c in problem.message) and problem.message_en
        if problem.code == "value-repaired":
            assert "已" in problem.message and "如不对" in problem.message  # names the original and the repaired value
    if repaired:
        table, row, field, value = repaired
        assert result.tables is not None, [p.message_en for p in result.errors]
        record = next(r for r in result.tables[table] if r["_row"] == row)
        assert record[field] == value


def test_repair_warnings_quote_the_original_and_the_result(tmp_path):
    problem, = check("full-width-amount", tmp_path).problems
    assert "“１００，０００．００”" in problem.message and "100000.00" in problem.message


def test_gongshi_repair_writes_the_certain_repairs_and_keeps_the_rest(tmp_path):
    from click.testing import CliRunner

    from gongshi.cli import main

    folder = shutil.copytree(GOOD, tmp_path / "pkg")
    for defect in ("saved-as-gbk", "amount-in-wan-yuan", "chinese-headers", "code-in-scientific-notation"):
        for file in (MESSY / defect).iterdir():
            shutil.copy(file, folder / file.name)
    original_regions = (folder / "regions.csv").read_bytes()
    result = CliRunner().invoke(main, ["repair", str(folder)])
    assert result.exit_code == 1  # the mangled code still needs the clerk
    assert (folder / "projects.csv").read_text(encoding="utf-8").startswith("project_id,")
    assert ",50000.00," in (folder / "allocations.csv").read_text(encoding="utf-8")
    assert (folder / "units.csv").read_text(encoding="utf-8").startswith("unit_id,name,kind,region_code,phone")
    assert (folder / "regions.csv").read_bytes() == original_regions  # a table with an error is left as it is
    codes = {p.code for p in check_county(folder, Settings()).problems}
    assert codes == {"code-mangled"}
