"""Standard forms: made from their declarations, read back with openpyxl, filled with clerks' mistakes, re-saved by
LibreOffice, and brought back into a package by `gongshi import`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gongshi.cli import main
from gongshi.county import check_county
from gongshi.forms.annotate import annotate
from gongshi.forms.importer import import_form
from gongshi.forms.make import make_forms
from gongshi.forms.workbook import LIST_SHEET, META_SHEET
from gongshi.settings import Settings

from forms_support import DEMO, FORMS, PROJECT, SCHEMAS, copy_demo, csv_rows, fill, make_demo_forms, where

SPREADSHEETS = sorted(f for f, s in FORMS.items() if s.spreadsheet)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    return make_demo_forms(tmp_path_factory.mktemp("forms"))


@pytest.fixture
def package(tmp_path) -> Path:
    return copy_demo(tmp_path)


def test_there_are_forms_for_every_kind_and_each_is_declared_once():
    titles = {spec.title for spec in FORMS.values()}
    assert {"到户项目申请书", "到户申请汇总表", "项目库入库申报表", "项目绩效目标申报表", "资金分配表", "项目实施前公示表",
            "项目公示牌", "项目验收表", "资金报账（拨付）申请表", "问题整改台账", "项目监管责任书", "项目监管责任台账",
            "项目绩效自评表", "到户补助明细表", "扶贫项目资产登记表"} <= titles
    assert len(titles) == len(FORMS)
    for spec in FORMS.values():
        assert spec.title and spec.purpose and spec.filled_by and (spec.signoff or spec.layout == "board")
    # Every table a ledger keeps can be filled in a form and brought back.
    assert {s.resource for s in FORMS.values() if s.importable} == set(SCHEMAS.tables) - {"regions", "units",
                                                                                      "notices", "project_funds"}


@pytest.mark.parametrize("form", SPREADSHEETS)
def test_each_blank_form_reads_back_as_declared(made, form):
    spec = FORMS[form]
    book = load_workbook(made[f"{form}:空白"])
    sheet = book[spec.sheet]
    assert book.sheetnames == [spec.sheet, LIST_SHEET, META_SHEET]
    assert book[LIST_SHEET].sheet_state == "hidden" and book[META_SHEET].sheet_state == "hidden"
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    assert meta["form"] == form and meta["county"] == "519901" and meta["county_name"] == "演示县"
    assert meta["version"] == str(spec.version) and len(meta["package"]) == 64 and meta["made_on"] == "2026-12-02"
    fields = [SCHEMAS.field(spec.resource, name) for name in spec.fields]
    if spec.layout == "table":
        assert [c.value for c in sheet[4]][:len(fields)] == list(spec.fields)
        assert sheet.row_dimensions[4].hidden
        headers = [c.value for c in sheet[3]][:len(fields)]
        cells = [sheet.cell(row=5, column=i + 1) for i in range(len(fields))]
    else:
        headers = [sheet.cell(row=5 + i, column=1).value for i in range(len(fields))]
        assert [sheet.cell(row=5 + i, column=3).value for i in range(len(fields))] == list(spec.fields)
        assert sheet.column_dimensions["C"].hidden
        cells = [sheet.cell(row=5 + i, column=2) for i in range(len(fields))]
    for header, field, cell in zip(headers, fields, cells, strict=True):
        required = field.get("constraints", {}).get("required")
        assert header == ("*" if required else "") + field["title"]
        kind = field.get("type")
        expected = {"date": "yyyy-mm-dd", "number": "#,##0.00", "integer": "0"}.get(kind, "@")
        assert cell.number_format == expected, (field["name"], cell.number_format)
        assert cell.protection.locked is False
        rules = [v for v in sheet.data_validations.dataValidation if cell.coordinate in v.sqref]
        assert len(rules) == 1, field["name"]
        rule = rules[0]
        assert rule.promptTitle and len(rule.promptTitle) <= 32 and rule.prompt and len(rule.prompt) <= 255
        if "enum" in field.get("constraints", {}):
            assert rule.type == "list"
            name = rule.formula1.lstrip("=")
            destination = next(iter(book.defined_names[name].destinations))
            assert destination[0] == LIST_SHEET
            listed = [c.value for row in book[LIST_SHEET][destination[1].replace("$", "")] for c in row]
            assert listed == [field["enumLabels"][code] for code in field["constraints"]["enum"]]
        elif kind == "date":
            assert rule.type == "date"
        elif kind == "number":
            assert rule.type == "decimal"
        elif kind == "integer":
            assert rule.type == "whole"
    # Headers and labels are locked, the sheet protected without a password.
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet["A1"].protection.locked is not False
    # A4, the printed rows bordered, page X of Y, the headers repeated on every page.
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.orientation == spec.orientation
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert sheet.print_area
    if spec.layout == "table":
        assert sheet.print_title_rows == "$1:$4"
    assert any(str(c.value or "").startswith("签字栏") for c in sheet["A"])
    assert sum("负责人（签字）" in str(c.value or "") for c in sheet["A"]) == len(spec.signoff)


def test_a_county_id_list_longer_than_excel_allows_inline_is_kept_on_the_hidden_sheet(made):
    book = load_workbook(made["acceptance:空白"])
    rule = next(v for v in book["验收登记"].data_validations.dataValidation if "A5" in v.sqref)
    assert rule.type == "list" and rule.formula1 == "list_project_id"
    sheet, ref = next(iter(book.defined_names["list_project_id"].destinations))
    shown = [c.value for row in book[sheet][ref.replace("$", "")] for c in row]
    projects = csv_rows(DEMO / "projects.csv")[1:]
    assert len(shown) == len(projects) and len(",".join(shown)) > 255
    assert "XM2025-005 金竹村通组道路硬化工程" in shown


def test_the_same_data_makes_the_same_bytes(tmp_path):
    one = make_forms(DEMO, tmp_path / "a", Settings(), ("acceptance",), PROJECT, dt.date(2026, 12, 2))
    two = make_forms(DEMO, tmp_path / "b", Settings(), ("acceptance",), PROJECT, dt.date(2026, 12, 2))
    for a, b in zip(one, two, strict=True):
        assert a.path.read_bytes() == b.path.read_bytes()


def test_data_that_looks_like_a_formula_stays_text(tmp_path, package):
    rows = list(csv.DictReader(io.StringIO((package / "acceptances.csv").read_text(encoding="utf-8"))))
    rows[0]["notes"] = '=HYPERLINK("http://x.example","点我")'
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (package / "acceptances.csv").write_text(buffer.getvalue(), encoding="utf-8")
    made = make_forms(package, tmp_path / "f", Settings(), ("acceptance",))
    with zipfile.ZipFile(made[1].path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no cell holds a formula
    book = load_workbook(made[1].path)
    assert book["验收登记"]["H5"].value.startswith("=HYPERLINK") and book["验收登记"]["H5"].data_type == "s"


TABLES = sorted({s.resource for s in FORMS.values() if s.importable and s.layout == "table"})


@pytest.mark.parametrize("resource", TABLES)
def test_a_table_emptied_comes_back_whole_from_its_prefilled_forms(made, package, resource):
    """Each table's forms, prefilled with all its records (到户申请汇总表 and 到户补助明细表 each carry some of the
    households' columns), bring it back byte for byte: the first adds the rows, the others fill in their columns."""
    forms = [f for f, s in FORMS.items() if s.resource == resource and s.importable]
    original = (package / f"{resource}.csv").read_bytes()
    (package / f"{resource}.csv").write_text(csv_rows(package / f"{resource}.csv")[0] + "\n", encoding="utf-8")
    result = import_form(made[f"{forms[0]}:全部"], package, Settings())
    assert not result.errors, result.errors[:3]
    assert result.added and not result.changed
    for other in forms[1:]:
        more = import_form(made[f"{other}:全部"], package, Settings(), update=True)
        assert not more.errors and not more.added, more.errors[:3]
    assert (package / f"{resource}.csv").read_bytes() == original
    # Imported again: nothing new, nothing written.
    for form in forms:
        again = import_form(made[f"{form}:全部"], package, Settings())
        assert not again.added and not again.written and len(again.unchanged) == len(result.added)


def test_a_project_comes_back_from_its_library_form(made, package):
    rows = csv_rows(package / "projects.csv")
    kept = [r for r in rows if not r.startswith(PROJECT + ",")]
    funds = csv_rows(package / "project_funds.csv")
    (package / "projects.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = import_form(made[f"project:{PROJECT}"], package, Settings())
    assert not result.errors, result.errors[:3]
    assert result.added == [PROJECT]
    check = check_county(package, Settings())
    assert not check.errors
    assert csv_rows(package / "project_funds.csv") == funds
    ours = next(r for r in check.tables["projects"] if r["project_id"] == PROJECT)
    theirs = next(r for r in check_county(DEMO, Settings()).tables["projects"] if r["project_id"] == PROJECT)
    spec = FORMS["project"]
    assert {k: ours[k] for k in spec.fields} == {k: theirs[k] for k in spec.fields}
    # What the library entry does not ask for (completion, spending) is left for the later forms.
    assert ours["completed_on"] is None


# A clerk's mistakes in the acceptance form of one project, each found at the cell it was typed in.
MISTAKES = [
    ("an ID number", {"G7": "张三 11010519491231002X"}, ("id-number-published", "验收登记", "G7")),
    ("a mobile number", {"H7": "联系 13812345678"}, ("phone-number-published", "验收登记", "H7")),
    ("a value off the list", {"B7": "镇级验收", "C7": dt.datetime(2025, 12, 1), "D7": "合格"},
     ("constraint-error", "验收登记", "B7")),
    ("an unknown project", {"A7": "XM2099-999", "B7": "县级验收", "C7": dt.datetime(2025, 12, 1), "D7": "合格"},
     ("foreign-key-error", "验收登记", "A7")),
    ("a date that is no date", {"B7": "县级验收", "C7": "十二月初", "D7": "合格"}, ("type-error", "验收登记", "C7")),
    ("a required cell left empty", {"B7": "县级验收", "D7": "合格"}, ("constraint-error", "验收登记", "C7")),
    ("a row of the package changed without --update", {"G5": "另一个人"}, ("row-exists", "验收登记", "G5")),
    ("an ID number in the sign-off block", {"A40": "11010519491231002X"}, ("id-number-published", "验收登记", "A40")),
]


@pytest.mark.parametrize("name,cells,expected", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_clerks_mistake_is_reported_at_its_cell_and_nothing_is_written(made, package, tmp_path, name, cells,
                                                                      expected):
    before = {p.name: p.read_bytes() for p in package.iterdir()}
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记", cells)
    result = import_form(form, package, Settings())
    assert expected in where(result), [(p.code, p.sheet, p.cell, p.message) for p in result.problems]
    assert result.errors and not result.written
    assert {p.name: p.read_bytes() for p in package.iterdir()} == before
    problem = next(p for p in result.problems if (p.code, p.sheet, p.cell) == expected)
    assert problem.path == "filled.xlsx" and problem.row == int(expected[2][1:])
    assert "19491231" not in problem.message and "13812345678" not in problem.message


def test_every_mistake_is_shown_at_once(made, package, tmp_path):
    """A personal number in one cell does not hide a wrong date in another: the clerk fixes both in one round."""
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "县级验收", "C7": "十二月初", "D7": "合格", "G7": "王五 11010519491231002X"})
    result = import_form(form, package, Settings())
    assert {("id-number-published", "验收登记", "G7"), ("type-error", "验收登记", "C7")} <= where(result)
    assert len([p for p in result.problems if p.cell == "G7"]) == 1 and not result.written


def test_repairs_are_said_at_their_cells_and_the_row_is_imported(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "县级验收", "C7": "2025年12月3日", "D7": "合格", "G7": "赵明、钱亮"})
    result = import_form(form, package, Settings())
    assert not result.errors and result.added == [f"{PROJECT}、county、2025-12-03"]
    assert ("value-repaired", "验收登记", "C7") in where(result)
    assert f"{PROJECT},county,2025-12-03,passed,赵明、钱亮,,," in csv_rows(package / "acceptances.csv")


def test_an_amount_excel_worked_out_is_read_to_the_fen_and_one_typed_past_it_is_refused(made, package, tmp_path):
    """=A1*0.3 leaves 12345.599999999999 in the file: the clerk saw and meant 12345.60. An amount typed with a
    fraction of a fen is a mistake, reported at its cell, and nothing is written."""
    cells = {"B7": "县级验收", "C7": dt.datetime(2025, 12, 3), "D7": "合格", "F7": 12345.599999999999}
    result = import_form(fill(made[f"acceptance:{PROJECT}"], tmp_path / "sum.xlsx", "验收登记", cells), package,
                         Settings())
    assert not result.errors, [(p.code, p.cell, p.message) for p in result.problems]
    assert any(line.startswith(f"{PROJECT},county,2025-12-03,passed,") and line.endswith(",12345.60")
               for line in csv_rows(package / "acceptances.csv"))
    before = {p.name: p.read_bytes() for p in package.iterdir()}
    cells = {"B7": "乡级复验", "C7": dt.datetime(2025, 12, 4), "D7": "合格", "F7": 10000.005}
    result = import_form(fill(made[f"acceptance:{PROJECT}"], tmp_path / "typed.xlsx", "验收登记", cells), package,
                         Settings(), update=True)
    assert ("amount-fraction-of-fen", "验收登记", "F7") in where(result) and not result.written
    assert {p.name: p.read_bytes() for p in package.iterdir()} == before


def test_a_serial_date_typed_as_a_number_is_read_with_a_warning(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "县级验收", "C7": "46000", "D7": "合格"})
    result = import_form(form, package, Settings())
    assert not result.errors
    assert ("value-repaired", "验收登记", "C7") in where(result)
    assert any(line.startswith(f"{PROJECT},county,2025-12-09,passed") for line in csv_rows(package / "acceptances.csv"))


def test_a_code_typed_as_a_number_keeps_its_digits_and_one_that_lost_them_is_refused(made, package, tmp_path):
    ok = fill(made["allocation:空白"], tmp_path / "ok.xlsx", "资金分配",
              {"A5": "ZJ2026-900", "B5": 2026, "D5": "专项扶贫资金", "G5": "czj 演示县财政局",
               "H5": 519901100201, "J5": 12345.5, "K5": dt.datetime(2026, 3, 1)})
    result = import_form(ok, package, Settings())
    assert not result.errors, [(p.code, p.cell, p.message) for p in result.errors]
    assert "ZJ2026-900,2026,,special-fund,,,czj,519901100201,,12345.50,2026-03-01,,,,,," in csv_rows(
        package / "allocations.csv")
    lost = fill(made["allocation:空白"], tmp_path / "lost.xlsx", "资金分配",
                {"A5": "ZJ2026-901", "B5": 2026, "D5": "专项扶贫资金", "G5": "czj", "H5": "5.19901E+11",
                 "J5": 100})
    assert ("code-mangled", "资金分配", "H5") in where(import_form(lost, package, Settings()))


def test_an_inserted_row_is_read_and_the_sign_off_block_is_not(made, package, tmp_path):
    book = load_workbook(made[f"acceptance:{PROJECT}"])
    sheet = book["验收登记"]
    sheet.insert_rows(6)
    for ref, value in {"A6": PROJECT, "B6": "县级验收", "C6": dt.datetime(2025, 12, 5), "D6": "合格"}.items():
        sheet[ref] = value
    book.save(tmp_path / "inserted.xlsx")
    result = import_form(tmp_path / "inserted.xlsx", package, Settings())
    assert not result.errors and result.added == [f"{PROJECT}、county、2025-12-05"]
    assert len(result.unchanged) == 2


def test_an_existing_row_changes_only_with_update_and_the_change_is_shown(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记", {"H5": "路面平整，验收合格"})
    assert ("row-exists", "验收登记", "H5") in where(import_form(form, package, Settings()))
    result = import_form(form, package, Settings(), update=True)
    assert not result.errors and result.changed == [(f"{PROJECT}、village、2025-11-17", [("notes", "", "路面平整，验收合格")])]
    assert any(line.endswith(",路面平整，验收合格,,") for line in csv_rows(package / "acceptances.csv"))


def test_a_form_without_its_hidden_sheet_is_known_by_its_headers(made, package, tmp_path):
    book = load_workbook(made[f"acceptance:{PROJECT}"])
    del book[META_SHEET]
    book["验收登记"]["B7"], book["验收登记"]["C7"], book["验收登记"]["D7"] = "县级验收", dt.datetime(2025, 12, 6), "合格"
    book.save(tmp_path / "no-meta.xlsx")
    result = import_form(tmp_path / "no-meta.xlsx", package, Settings())
    assert result.form == "acceptance" and not result.errors and result.added


def test_another_countys_form_an_unknown_file_and_a_wps_file_are_refused(made, package, tmp_path):
    other = load_workbook(made[f"acceptance:{PROJECT}"])
    meta = other[META_SHEET]
    next(r for r in meta.iter_rows() if r[0].value == "county")[1].value = "519902"
    other.save(tmp_path / "other.xlsx")
    assert ("form-other-county", None, None) in where(import_form(tmp_path / "other.xlsx", package, Settings()))
    stranger = load_workbook(made[f"acceptance:{PROJECT}"])
    del stranger[META_SHEET]
    stranger["验收登记"]["A3"] = "编号"
    stranger["验收登记"]["A4"] = "id"
    stranger.save(tmp_path / "stranger.xlsx")
    assert ("form-unknown", None, None) in where(import_form(tmp_path / "stranger.xlsx", package, Settings()))
    (tmp_path / "表.et").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    result = import_form(tmp_path / "表.et", package, Settings())
    assert result.problems[0].code == "form-unreadable" and "另存为" in result.problems[0].message
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    assert import_form(tmp_path / "broken.xlsx", package, Settings()).problems[0].code == "form-unreadable"


def test_a_form_made_before_the_package_changed_is_read_with_a_warning(made, package, tmp_path):
    rows = csv_rows(package / "units.csv")
    (package / "units.csv").write_text("\n".join(rows) + "\n\n", encoding="utf-8")  # any change to the package
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "县级验收", "C7": dt.datetime(2025, 12, 7), "D7": "合格"})
    result = import_form(form, package, Settings())
    assert ("form-outdated", None, None) in where(result) and not result.errors and result.added


def test_the_annotated_copy_marks_each_bad_cell_and_lists_them(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "镇级验收", "C7": "十二月初", "D7": "合格"})
    result = import_form(form, package, Settings())
    out = annotate(form, result.problems, tmp_path / "批注.xlsx")
    book = load_workbook(out)
    assert book.sheetnames[0] == "错误清单"
    listed = {row[0].value for row in book["错误清单"].iter_rows(min_row=2)}
    assert {"「验收登记」B7", "「验收登记」C7"} <= listed
    for ref in ("B7", "C7"):
        cell = book["验收登记"][ref]
        assert cell.fill.start_color.rgb.endswith("FFC7CE") and cell.comment and "[" in cell.comment.text
    assert load_workbook(form)["验收登记"]["B7"].fill.start_color.rgb != "00FFC7CE"  # the clerk's file is untouched
    with pytest.raises(Exception, match="覆盖"):
        annotate(form, result.problems, form)


def test_the_command_line_shows_cells_and_writes_nothing_on_error(made, package, tmp_path):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "验收表.xlsx", "验收登记",
                {"B7": "县级验收", "C7": "十二月初", "D7": "合格"})
    runner = CliRunner()
    bad = runner.invoke(main, ["import", str(form), "--into", str(package), "--annotate", str(tmp_path / "a.xlsx")])
    assert bad.exit_code == 1 and "验收表.xlsx「验收登记」C7（验收日期）" in bad.output
    assert "什么都没有写入" in bad.output and (tmp_path / "a.xlsx").is_file() and "Traceback" not in bad.output
    as_json = runner.invoke(main, ["import", str(form), "--into", str(package), "--format", "json"])
    found = json.loads(as_json.output)
    assert as_json.exit_code == 1 and {"code": "type-error", "sheet": "验收登记", "cell": "C7", "row": 7,
                                       "field": "accepted_on", "title": "验收日期"}.items() <= found[0].items()
    fixed = fill(form, tmp_path / "验收表.xlsx", "验收登记", {"C7": dt.datetime(2025, 12, 8)})
    good = runner.invoke(main, ["import", str(fixed), "--into", str(package)])
    assert good.exit_code == 0, good.output
    assert "新增 1 条" in good.output and "gongshi sign" in good.output
    made_out = runner.invoke(main, ["forms", str(package), "--out", str(tmp_path / "out"), "--form", "acceptance",
                                    "--project", PROJECT])
    assert made_out.exit_code == 0 and "项目验收表-519901-XM2025-005.xlsx" in made_out.output
    unknown = runner.invoke(main, ["forms", str(package), "--out", str(tmp_path / "out"), "--form", "nosuch"])
    assert unknown.exit_code == 1 and "没有这种表" in unknown.output and "Traceback" not in unknown.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) is not installed")
@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_a_form_resaved_by_libreoffice_imports_the_same(made, package, tmp_path, kind):
    form = fill(made[f"acceptance:{PROJECT}"], tmp_path / "filled.xlsx", "验收登记",
                {"B7": "县级验收", "C7": dt.datetime(2025, 12, 9), "D7": "合格", "G7": "孙强"})
    out = tmp_path / kind
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", kind,
                    "--outdir", str(out), str(form)], check=True, capture_output=True, timeout=120)
    resaved = out / f"filled.{kind}"
    twin = tmp_path / "twin"
    shutil.copytree(package, twin)
    ours, theirs = import_form(form, package, Settings()), import_form(resaved, twin, Settings())
    assert not ours.errors and not theirs.errors, theirs.errors[:3]
    assert ours.added == theirs.added == [f"{PROJECT}、county、2025-12-09"]
    assert (package / "acceptances.csv").read_bytes() == (twin / "acceptances.csv").read_bytes()
    # A mistake in the re-saved file is still found at its cell.
    bad = fill(made[f"acceptance:{PROJECT}"], tmp_path / "bad.xlsx", "验收登记",
               {"B7": "镇级验收", "C7": dt.datetime(2025, 12, 9), "D7": "合格"})
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", kind,
                    "--outdir", str(out), str(bad)], check=True, capture_output=True, timeout=120)
    assert ("constraint-error", "验收登记", "B7") in where(import_form(out / f"bad.{kind}", twin, Settings()))


inspectors = st.lists(st.sampled_from("赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"), min_size=2, max_size=3).map("".join)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(["村级初验", "乡级复验", "县级验收"]),
                               st.dates(dt.date(2025, 12, 10), dt.date(2026, 11, 30)),
                               st.sampled_from(["合格", "限期整改", "不合格"]),
                               st.lists(inspectors, min_size=0, max_size=3)),
                     min_size=1, max_size=6, unique_by=lambda r: (r[0], r[1])))
def test_any_valid_rows_come_back_as_typed(made, tmp_path_factory, rows):
    work = tmp_path_factory.mktemp("h")
    package = work / "519901"
    shutil.copytree(DEMO, package)
    cells = {}
    for i, (stage, day, verdict, people) in enumerate(rows):
        n = 5 + i
        cells.update({f"A{n}": f"{PROJECT} 金竹村通组道路硬化工程", f"B{n}": stage, f"C{n}": dt.datetime.combine(day, dt.time()),
                      f"D{n}": verdict, f"G{n}": "、".join(people) or None})
    form = fill(made["acceptance:空白"], work / "f.xlsx", "验收登记", cells)
    result = import_form(form, package, Settings())
    assert not result.errors, [(p.code, p.cell, p.message) for p in result.errors]
    labels = {"村级初验": "village", "乡级复验": "township", "县级验收": "county", "合格": "passed",
              "限期整改": "rectify", "不合格": "failed"}
    lines = csv_rows(package / "acceptances.csv")
    for stage, day, verdict, people in rows:
        assert f"{PROJECT},{labels[stage]},{day.isoformat()},{labels[verdict]},{'、'.join(people)},,," in lines


def test_the_site_offers_each_countys_forms_and_the_blank_set(demo_site, package, tmp_path):
    from urllib.parse import unquote

    from bs4 import BeautifulSoup

    page = BeautifulSoup((demo_site / "519901" / "forms" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.select("main a[download]")]
    printed = [f for f, s in FORMS.items() if s.layout != "board"]  # a board is made for one project
    letters = [f for f, s in FORMS.items() if s.layout == "letter"]
    assert len(links) == 2 * len(printed) and sum(h.endswith(".pdf") for h in links) == len(printed)
    assert sum(h.endswith(".docx") for h in links) == len(letters) == 2
    for href in links:
        assert (demo_site / "519901" / "forms" / unquote(href)).is_file()
    assert {s["id"] for s in page.select("section.form")} == set(FORMS)
    board = page.select_one("section#board").get_text()
    assert "gongshi forms data/519901 --out 表格 --form board --project" in board
    assert "不导入" in page.select_one("section#application").get_text()
    blank = BeautifulSoup((demo_site / "forms" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(blank.select("main a[download]")) == 2 * len(printed)
    site_wide = load_workbook(demo_site / "forms" / "项目验收表.xlsx")
    assert {r[0].value: r[1].value for r in site_wide[META_SHEET].iter_rows()}["county"] in (None, "")
    # The project page sends a township clerk to the acceptance form.
    project = (demo_site / "519901" / "project" / PROJECT / "index.html").read_text(encoding="utf-8")
    assert "forms/#acceptance" in project or "forms/index.html#acceptance" in project
    # The form downloaded from the site, filled in and imported.
    downloaded = demo_site / "519901" / "forms" / "项目验收表-519901.xlsx"
    form = fill(downloaded, tmp_path / "验收表.xlsx", "验收登记",
                {"A5": f"{PROJECT} 金竹村通组道路硬化工程", "B5": "县级验收", "C5": dt.datetime(2025, 12, 10),
                 "D5": "合格", "G5": "赵明、钱亮"})
    result = import_form(form, package, Settings())
    assert not result.errors and result.added == [f"{PROJECT}、county、2025-12-10"]


@pytest.mark.parametrize("form", sorted(f for f, s in FORMS.items() if s.layout != "board"))
def test_each_form_prints_on_a4_with_its_sign_off_and_chinese_embedded(made, form):
    spec = FORMS[form]
    pdf = made[f"{form}:空白"].with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = sorted(float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert [round(x) for x in size] == [595, 842]  # A4
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "")
    assert "演示县" + spec.title in text
    for level in spec.signoff:
        assert level.replace(" ", "") in text
    assert text.count("负责人（签字）") == len(spec.signoff) and text.count("（公章）") == len(spec.signoff)
    assert "第1页/共" in text
    # Every field's title, in the order the PDF draws it (a narrow column wraps its heading).
    drawn = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.replace("\n", "").replace(" ", "")
    for field in spec.field_specs(SCHEMAS):
        assert field["title"] in drawn, field["title"]


def test_a_projects_form_prints_what_is_known_of_it(made):
    text = subprocess.run(["pdftotext", str(made[f"project:{PROJECT}"].with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "金竹村通组道路硬化工程" in text and "822,800.00" in text and "乡村建设（基础设施）" in text
