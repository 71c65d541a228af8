"""A careless or hostile workbook is refused at its cell, and an import never writes where it should not: not over a
table the descriptor does not list, not beside one it moved, not over unsaved repairs, not as its own annotated
copy."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from gongshi.cli import main
from gongshi.forms.annotate import annotate
from gongshi.forms.importer import import_form
from gongshi.forms.workbook import LIST_SHEET, META_SHEET
from gongshi.problems import error
from gongshi.settings import Settings

from forms_support import PROJECT, copy_demo, edited, fill, make_demo_forms, valid_row, where


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    return make_demo_forms(tmp_path_factory.mktemp("forms"))


@pytest.fixture
def package(tmp_path) -> Path:
    return copy_demo(tmp_path)


HOSTILE = [
    ("another form's name in the hidden sheet",
     lambda b: next(r for r in b[META_SHEET].iter_rows() if r[0].value == "form")[1].__setattr__("value", "allocation"),
     ("form-unknown", None, None)),
    ("the main sheet renamed", lambda b: (valid_row(b["验收登记"]), setattr(b["验收登记"], "title", "Sheet1")),
     ("form-unknown", None, None)),
    ("data in a copy of the sheet", lambda b: valid_row(b.copy_worksheet(b["验收登记"])),
     ("form-ignored-data", "验收登记 Copy", "A1")),
    ("a row typed below the sign-off block", lambda b: b["验收登记"].__setitem__("B20", "县级验收"),
     ("form-ignored-data", "验收登记", "B20")),
    ("a value beside the table", lambda b: (valid_row(b["验收登记"]), b["验收登记"].__setitem__("I7", "补充")),
     ("form-ignored-data", "验收登记", "I7")),
    ("one record twice", lambda b: (valid_row(b["验收登记"], 7), b["验收登记"].__setitem__("A8", PROJECT),
                                    valid_row(b["验收登记"], 8)),
     ("form-duplicate-row", "验收登记", "A8")),
    ("a formula never calculated", lambda b: (valid_row(b["验收登记"]), b["验收登记"].__setitem__("F7", "=1+1")),
     ("form-formula", "验收登记", "F7")),
    ("an ID number on the hidden list sheet", lambda b: b[LIST_SHEET].__setitem__("Z9", "身份证 11010519491231002X"),
     ("id-number-published", LIST_SHEET, "Z9")),
    ("one cell far away", lambda b: b.create_sheet("x").__setitem__("XFD1048576", "1"),
     ("form-ignored-data", "x", "XFD1048576")),
]


@pytest.mark.parametrize("name,change,expected", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_or_careless_workbook_is_refused_at_its_cell(made, package, tmp_path, name, change, expected):
    before = {p.name: p.read_bytes() for p in package.iterdir()}
    form = edited(made[f"acceptance:{PROJECT}"], tmp_path / "f.xlsx", change)
    result = import_form(form, package, Settings())
    assert expected in where(result), [(p.code, p.sheet, p.cell) for p in result.problems]
    assert result.errors and not result.written
    assert {p.name: p.read_bytes() for p in package.iterdir()} == before


def test_odd_numbers_are_refused_or_kept_as_typed_without_a_traceback(made, package, tmp_path):
    for value in ("inf", "NaN", float("inf")):
        form = fill(made["household:空白"], tmp_path / "h.xlsx", "补助明细",
                    {"A5": PROJECT, "B5": "H900", "C5": "张*三", "E5": "519901101201", "H5": value})
        result = import_form(form, package, Settings())
        assert any(p.cell == "H5" and p.is_error for p in result.problems) and not result.written, value
    form = fill(made["household:空白"], tmp_path / "h.xlsx", "补助明细",
                {"A5": PROJECT, "B5": "H900", "C5": "张*三", "E5": "519901101201", "H5": 1e300})
    import_form(form, package, Settings())  # more digits than cents can hold: kept as typed, no traceback


def test_a_table_the_descriptor_does_not_list_is_never_overwritten(made, package, tmp_path):
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "beneficiaries"]
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    households = (package / "beneficiaries.csv").read_bytes()
    form = fill(made["household:空白"], tmp_path / "h.xlsx", "补助明细",
                {"A5": PROJECT, "B5": "H900", "C5": "张*三", "E5": "519901101201", "H5": 500})
    result = import_form(form, package, Settings())
    assert "form-table-unrepaired" in {p.code for p in result.errors}
    assert (package / "beneficiaries.csv").read_bytes() == households


def test_a_table_in_a_subfolder_is_written_where_the_descriptor_says(made, package, tmp_path):
    (package / "tables").mkdir()
    shutil.move(package / "acceptances.csv", package / "tables" / "acceptances.csv")
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "acceptances")["path"] = "tables/acceptances.csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    form = edited(made[f"acceptance:{PROJECT}"], tmp_path / "f.xlsx", lambda b: valid_row(b["验收登记"]))
    result = import_form(form, package, Settings())
    assert not result.errors and result.written == [package / "tables" / "acceptances.csv"]
    assert not (package / "acceptances.csv").exists()


def test_a_table_with_unsaved_repairs_is_repaired_first(made, package, tmp_path):
    text = (package / "acceptances.csv").read_text(encoding="utf-8").replace("2025-12-19", "2025年12月19日", 1)
    (package / "acceptances.csv").write_text(text, encoding="utf-8")
    form = edited(made[f"acceptance:{PROJECT}"], tmp_path / "f.xlsx", lambda b: valid_row(b["验收登记"]))
    result = import_form(form, package, Settings())
    assert "form-table-unrepaired" in {p.code for p in result.errors} and not result.written
    assert "gongshi repair" in result.errors[0].message


def test_the_annotated_copy_never_lands_in_the_package_and_holds_no_formula(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / '=HYPERLINK("#x","点我")+1.xlsx', "验收登记",
                {"B7": "县级验收", "C7": "十二月初", "D7": "合格"})
    before = {p.name: p.read_bytes() for p in package.iterdir()}
    runner = CliRunner()
    for target in (package / "projects.csv", package / "批注.xlsx", form):
        refused = runner.invoke(main, ["import", str(form), "--into", str(package), "--annotate", str(target)])
        assert refused.exit_code == 2 and "Traceback" not in refused.output, refused.output
    assert {p.name: p.read_bytes() for p in package.iterdir()} == before
    result = import_form(form, package, Settings())
    result.problems.append(error("form-unchecked", form.name, None, None, "x", "x"))
    out = annotate(form, result.problems, tmp_path / "a.xlsx")
    listed = load_workbook(out)["错误清单"]
    assert all(cell.data_type == "s" for row in listed.iter_rows() for cell in row if cell.value)
    (tmp_path / "broken.xls").write_bytes(b"not a workbook")
    broken = import_form(tmp_path / "broken.xls", package, Settings())
    assert load_workbook(annotate(tmp_path / "broken.xls", broken.problems, tmp_path / "b.xlsx"))["错误清单"]["B2"].value \
        == "form-unreadable"


def test_a_row_hidden_from_the_printout_is_imported_with_a_warning(made, package, tmp_path):
    def hide(book):
        valid_row(book["验收登记"])
        book["验收登记"].row_dimensions[7].hidden = True

    result = import_form(edited(made[f"acceptance:{PROJECT}"], tmp_path / "f.xlsx", hide), package, Settings())
    assert ("form-hidden-data", "验收登记", "A7") in where(result) and not result.errors and result.added
