"""Bring a filled standard form back into a county's package: `gongshi import FORM.xlsx --into data/<county>`.

1. The form is known by its hidden sheet `_gongshi` (or, when a program dropped it, by its Chinese headers); a form
   of another county is refused; a form made from an older version of the package is read with a warning.
2. Each cell is read as the spreadsheet stored it (a date, a number, text) and turned into the text the package's
   CSV holds; then the same repairs and refusals as `validate` apply (a date typed 2025年7月4日, a serial number,
   an enumeration's Chinese label, a code with its digits lost), and the privacy scan runs on every cell.
3. The new rows are merged into a copy of the package and the whole package is checked: every problem in a row
   that came from the form is reported at the cell the clerk typed in.
4. Only when there is no error is anything written: new rows are added; a row whose key is already in the package
   and whose values differ is changed only with --update (old and new values are shown); nothing is deleted.

`--annotate OUT.xlsx` writes a copy of the form with each bad cell filled red and commented, and a 错误清单 sheet.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..checks.privacy import privacy_problems
from ..codes import ERROR, WARNING
from ..county import check_county
from ..package.descriptor import write_descriptor
from ..package.read import normalize
from ..personal import mask_numbers
from ..problems import Problem, error, warning
from ..schemas import OPTIONAL_RESOURCES, SchemaSet, load_schemas
from ..settings import Settings
from ..site.spreadsheet import table_rows
from . import FormSpec, load_forms, reference_of
from .reading import Cell, FormReadError, Sheet, Workbook, cell_text, read_workbook
from .workbook import LIST_SHEET, META_SHEET, SIGNOFF_MARK, SIGNOFF_NAME, package_digest

CONTEXT = ("project_id",)  # what a project's form already fills in on its blank rows: alone, it makes no record


@dataclass
class Imported:
    """What an import found and did."""

    form: str | None = None
    resource: str | None = None
    problems: list[Problem] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)  # key, (field, old, new)
    unchanged: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class _Row:
    cells: dict[str, Cell]
    values: dict[str, str]


def identify(book: Workbook, forms: dict[str, FormSpec], schemas: SchemaSet) -> tuple[FormSpec | None, dict]:
    """The form this workbook is, and what its hidden sheet says (empty when a program dropped the sheet)."""
    meta_sheet = book.sheet(META_SHEET)
    meta = {}
    if meta_sheet is not None:
        meta = {str(meta_sheet.value(r, 0)): "" if meta_sheet.value(r, 1) is None else str(meta_sheet.value(r, 1))
                for r in meta_sheet.rows if meta_sheet.value(r, 0) is not None}
        if meta.get("form") in forms:
            return forms[meta["form"]], meta
    for spec in forms.values():
        if book.sheet(spec.sheet) is not None and _header_row(book.sheet(spec.sheet), spec, schemas):
            return spec, meta
    return None, meta


def _header_row(sheet: Sheet, spec: FormSpec, schemas: SchemaSet) -> int | None:
    """The 1-based row of the form's headers: its field names, or its Chinese titles (with * for required)."""
    titles = {schemas.field(spec.resource, n).get("title", n): n for n in spec.fields}
    # An older version of the form may lack a column added since: its key and required fields are enough.
    needed = set(_needed(spec, schemas))
    for number in range(1, 13):
        cells = {str(v).strip().lstrip("*") for v in sheet.row(number) if v is not None}
        named = {n for n in spec.fields if n in cells} | {titles[t] for t in cells if t in titles}
        if spec.layout == "table" and needed <= named and (cells & set(spec.fields) or cells & set(titles)):
            return number
    return None


def _needed(spec: FormSpec, schemas: SchemaSet) -> list[str]:
    """The fields a filled form must carry: the table's key and its required fields."""
    key = schemas.tables[spec.resource].get("primaryKey", [])
    required = [f["name"] for f in schemas.fields(spec.resource) if f.get("constraints", {}).get("required")]
    return [n for n in spec.fields if n in key or n in required]


def _data_rows(book: Workbook, sheet: Sheet, spec: FormSpec, schemas: SchemaSet,
               choices: dict[str, set[str]], display: str) -> tuple[list[_Row], list[Problem]]:
    """The rows the clerk filled, each value with its cell; and a problem for each cell outside them that holds
    something (typed after the sign-off block, beside the table): it would not be imported, so it is not taken
    silently."""
    specs = {name: schemas.field(spec.resource, name) for name in spec.fields}
    # The sign-off block starts at its mark (a locked cell); a program that drops the mark leaves its defined name.
    stop = next((r for r in sheet.rows if isinstance(sheet.value(r, 0), str)
                 and sheet.value(r, 0).startswith(SIGNOFF_MARK)), None)
    if stop is None:
        named = book.names.get(SIGNOFF_NAME)
        stop = named[1] if named and named[0] == sheet.name else max(sheet.rows, default=0) + 1
    signoff = {r for r in sheet.rows if r > stop and _is_signoff(sheet.value(r, 0))} | {stop}
    if spec.layout == "record":
        rows, used = _record_rows(sheet, spec, specs, choices, stop)
        first = FIRST_RECORD_ROW
    else:
        header = _header_row(sheet, spec, schemas)
        if header is None:
            return [], []
        columns = {}
        for number in (header + 1, header):  # the hidden row of names first, then the titles
            for col, value in enumerate(sheet.row(number)):
                text = str(value).strip().lstrip("*") if value is not None else ""
                name = text if text in specs else next((n for n, s in specs.items() if s.get("title") == text), None)
                if name and name not in columns.values():
                    columns[col] = name
            if len(columns) == len(specs):
                break
        names_row = all(str(v).strip() in specs for v in sheet.row(header + 1) if v is not None)
        first = header + 2 if names_row and sheet.row(header + 1) else header + 1
        rows, used = [], set()
        for number in (r for r in sheet.rows if first <= r < stop):
            cells, values = {}, {}
            for col, name in columns.items():
                cells[name] = Cell(sheet.name, number, col)
                values[name] = cell_text(sheet.value(number, col), specs[name], choices.get(name, set()))
                used.add((number, col))
            if any(values[n] for n in values if n not in CONTEXT):
                rows.append(_Row(cells, values))
    problems = []
    for row in rows:
        shown = [c for c in row.cells.values() if row.values.get(_name_at(row, c))]
        hidden = [c for c in shown if c.row in sheet.hidden_rows or c.col in sheet.hidden_cols]
        if hidden:
            cell = hidden[0]
            problems.append(Problem(
                "form-hidden-data", WARNING, display, cell.row, None,
                "这一格在隐藏的行或列里：打印出来看不到，签字的人也看不到。已导入，请确认它该导入。",
                "This cell is in a hidden row or column: the printed form does not show it to those who sign. It "
                "is imported; make sure it should be.", sheet=cell.sheet, cell=cell.ref))
    for (row, col), value in sorted(sheet.cells.items()):
        if row < first or (row, col) in used or row in signoff:
            continue
        problems.append(_in_cell(
            "form-ignored-data", display, Cell(sheet.name, row, col),
            f"这一格（“{_short(value)}”）不在填表的地方，导入时不会读它：请把内容填到表格里，或删掉它。",
            f"This cell ({_short(value)!r}) is outside the form's cells and would not be imported: move it into "
            "the table or delete it."))
    return rows, problems


FIRST_RECORD_ROW = 5


def _name_at(row: _Row, cell: Cell) -> str:
    return next(name for name, c in row.cells.items() if c is cell)


def _is_signoff(value: object) -> bool:
    return isinstance(value, str) and ("负责人（签字）" in value or value.startswith(SIGNOFF_MARK))


def _short(value: object) -> str:
    text = mask_numbers(str(value)).replace("\n", " ")
    return text if len(text) <= 20 else text[:20] + "…"


def _record_rows(sheet: Sheet, spec: FormSpec, specs: dict, choices: dict[str, set[str]],
                 stop: int) -> tuple[list[_Row], set[tuple[int, int]]]:
    cells, values, used = {}, {}, set()
    titles = {s.get("title", n): n for n, s in specs.items()}
    for number in (r for r in sheet.rows if r < stop):
        named = sheet.value(number, 2)
        name = named if named in specs else titles.get(str(sheet.value(number, 0) or "").strip().lstrip("*"))
        if name and name not in cells:
            cells[name] = Cell(sheet.name, number, 1)
            values[name] = cell_text(sheet.value(number, 1), specs[name], choices.get(name, set()))
            used |= {(number, 0), (number, 1), (number, 2)}
    return ([_Row(cells, values)] if any(values.values()) else []), used


def _csv(fields: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([[row.get(f, "") for f in fields] for row in rows])
    return buffer.getvalue()


def _at(problem: Problem, cell: Cell, display: str, schemas: SchemaSet, resource: str) -> Problem:
    """The problem, placed at the cell the clerk typed in."""
    title = schemas.title(resource, problem.field) if problem.field else None
    return Problem(problem.code, problem.severity, display, cell.row, problem.field, problem.message,
                   problem.message_en, sheet=cell.sheet, cell=cell.ref, title=title)


def import_form(path: Path, folder: Path, settings: Settings, update: bool = False) -> Imported:
    """Check a filled form against the package in folder and, when nothing is wrong, merge its rows in."""
    path, folder = Path(path), Path(folder)
    display = path.name
    result = Imported()
    schemas = load_schemas(settings.schemas_path)
    forms = load_forms(schemas)
    try:
        book = read_workbook(path)
    except FormReadError as exc:
        message, message_en = str(exc).split(" / ", 1)
        result.problems.append(error("form-unreadable", display, None, None, message, message_en))
        return result
    spec, meta = identify(book, forms, schemas)
    if spec is None:
        names = "、".join(f.title for f in forms.values())
        result.problems.append(error(
            "form-unknown", display, None, None,
            f"认不出这是哪一张标准表：没有隐藏的“{META_SHEET}”表，表头也对不上。请用网站或 gongshi forms 下载的表（{names}）填写。",
            "Not one of the standard forms: no hidden _gongshi sheet and no header row matches. Fill in a form "
            "downloaded from the site or made by gongshi forms."))
        return result
    result.form, result.resource = spec.id, spec.resource
    if not spec.importable:
        result.problems.append(error(
            "form-not-importable", display, None, None,
            f"“{spec.title}”是由数据包生成、打印张贴用的表，不导入：要改项目的内容，请用“项目库入库申报表”或直接改数据包，"
            "再重新生成这张表。",
            f"{spec.title} is made from the package for printing and posting; it is not imported. Change the project "
            "with the 项目库入库申报表 form or in the package, then make it again."))
        return result
    before = check_county(folder, settings)
    package = before.package
    if package is None or before.tables is None:
        first = before.errors[0] if before.errors else None
        where = f"（{first.path}：{first.message}）" if first else ""
        result.problems.append(error(
            "form-package-invalid", str(folder), None, None,
            f"数据包读不出来{where}：先运行 gongshi validate {folder} 改好，再导入。",
            f"The package cannot be read: run gongshi validate {folder} and fix it before importing."))
        return result
    if meta.get("county") and meta["county"] != package.county:
        result.problems.append(error(
            "form-other-county", display, None, None,
            f"这是{meta.get('county_name') or meta['county']}（{meta['county']}）的表，不能导入 {package.county} 的数据包。"
            "请用本县的表。",
            f"This form belongs to county {meta['county']}; it cannot be imported into {package.county}."))
        return result
    if not meta.get("county"):
        result.problems.append(warning(
            "form-unchecked", display, None, None,
            "这张表没有隐藏的“_gongshi”表（可能被别的软件去掉了），认不出是哪个县、按哪一版数据包做的：请确认它是本县的表。",
            "The form's hidden _gongshi sheet is gone: which county and package it was made for cannot be checked."))
    elif meta.get("package") and meta["package"] != package_digest(folder, package.resources):
        result.problems.append(warning(
            "form-outdated", display, None, None,
            f"这张表是{meta.get('made_on') or '之前'}按当时的数据包做的，之后数据包改过：下拉列表可能不是最新的，"
            "导入时仍按现在的数据包检查。",
            "The package changed after this form was made: its lists may be out of date; it is checked against "
            "the package as it is now."))
    sheet = book.sheet(spec.sheet)
    if sheet is None or (spec.layout == "table" and _header_row(sheet, spec, schemas) is None):
        result.problems.append(error(
            "form-unknown", display, None, None,
            f"找不到“{spec.title}”的工作表“{spec.sheet}”或它的表头：请在下载的表里填写，不要改工作表的名字和表头。",
            f"The sheet {spec.sheet!r} of {spec.title} or its header row is missing: fill in the downloaded form "
            "without renaming its sheet or changing its headers."))
        return result
    choices = {}
    for name in spec.fields:
        reference = reference_of(schemas, spec.resource, name)
        if reference:
            key = schemas.tables[reference]["primaryKey"][0]
            choices[name] = {str(r[key]) for r in before.tables.get(reference, [])}
    rows, outside = _data_rows(book, sheet, spec, schemas, choices, display)
    result.problems += outside + _other_sheets(book, sheet, display) + _formulas(book, display) + _privacy(book, display)
    lacking = [n for n in spec.fields if rows and not any(n in r.cells for r in rows)]
    if lacking:
        titles = "、".join(f"“{schemas.title(spec.resource, n)}”" for n in lacking)
        result.problems.append(warning(
            "form-outdated", display, None, None,
            f"这是旧版的{spec.title}，没有{titles}这几列：已有记录的这些内容不变。要填它们，请下载新版的表。",
            f"This is an older version of the form, without the columns {', '.join(lacking)}: what the package "
            "holds in them is kept. Download the form again to fill them in."))
    # The rows are checked even when a cell elsewhere is wrong, so that the clerk sees every mistake at once;
    # nothing is written while any error stands.
    _merge(result, rows, spec, folder, package, before, settings, schemas, display, update)
    result.problems = _once(result.problems)
    return result


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once: a cell's personal number is found by the scan of the workbook and of the merged table."""
    seen, out = set(), []
    for p in problems:
        key = (p.code, p.sheet, p.cell) if p.cell else (p.code, p.path, p.row, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


OURS = (META_SHEET, LIST_SHEET, "错误清单")  # the hidden sheets a form is made with; an annotated copy's list


def _other_sheets(book: Workbook, main: Sheet, display: str) -> list[Problem]:
    """A sheet the form was not made with, holding something: only the form's own sheet is imported."""
    found = []
    for sheet in book.sheets:
        if sheet is main or sheet.name in OURS or not sheet.cells:
            continue
        (row, col), _value = min(sheet.cells.items())
        found.append(_in_cell(
            "form-ignored-data", display, Cell(sheet.name, row, col),
            f"工作表“{sheet.name}”不是这张标准表的，导入只读“{main.name}”：请把内容填到“{main.name}”里，或删掉这张工作表。",
            f"Sheet {sheet.name!r} is not part of the form; only {main.name!r} is imported: move its content there "
            "or delete the sheet."))
    return found


def _formulas(book: Workbook, display: str) -> list[Problem]:
    """A formula whose result was never calculated (the file was made by a program, not saved by Excel or WPS)."""
    return [_in_cell("form-formula", display, Cell(sheet.name, row, col),
                     "这一格是公式，但没有算出的结果：请在 Excel 或 WPS 里打开并保存一次，或直接填数值。",
                     "This cell holds a formula with no calculated value: open and save the file in Excel or WPS, "
                     "or type the value.")
            for sheet in book.sheets for row, col in sorted(sheet.formulas)]


def _in_cell(code: str, display: str, cell: Cell, message: str, message_en: str) -> Problem:
    """An error found at a cell of the workbook, not in a field of the table."""
    return Problem(code, ERROR, display, cell.row, None, message, message_en, sheet=cell.sheet, cell=cell.ref)


def _privacy(book: Workbook, display: str) -> list[Problem]:
    """The privacy scan on every cell of every sheet the clerk could type in, wherever it is."""
    found = []
    for sheet in book.sheets:  # the hidden sheets too: they are protected without a password
        cells = [(Cell(sheet.name, r, c), v) for (r, c), v in sorted(sheet.cells.items())]
        if not cells:
            continue
        text = _csv(["text"], [{"text": cell_text(v, {"type": "string"})} for _, v in cells])
        fields = [{"name": "text", "type": "string", "title": "单元格"}]
        for problem in privacy_problems(text, fields, display):
            cell = cells[problem.row - 2][0]
            found.append(Problem(problem.code, problem.severity, display, cell.row, None,
                                 problem.message.replace("「单元格」（text）列中", "这个单元格里"),
                                 problem.message_en.replace("Column text contains", "This cell contains"),
                                 sheet=cell.sheet, cell=cell.ref))
    return found


def _merge(result: Imported, rows: list[_Row], spec: FormSpec, folder: Path, package, before, settings: Settings,
           schemas: SchemaSet, display: str, update: bool) -> None:
    resource = spec.resource
    fields = [f["name"] for f in schemas.fields(resource)]
    key_fields = schemas.tables[resource].get("primaryKey", [])
    target = _target(result, package, resource, before, display)
    if target is None:
        return
    prior = len(result.errors)  # found before the rows were read (a personal number, a cell outside the form)
    # 1. The form's rows alone, through the same repairs and refusals as a CSV file; and no amount that is not one
    # (inf, NaN), which a CSV's Table Schema would take as a number.
    for row in rows:
        for name, text in row.values.items():
            if schemas.field(resource, name).get("type") in ("number", "integer") and _not_finite(text):
                result.problems.append(_at(error(
                    "type-error", display, None, name, f"“{text}”不是一个数，请填数字。",
                    f"{text!r} is not a number: type a number."), row.cells[name], display, schemas, resource))
    # The fields the form carries: an older version may lack a column, whose values stay as they are.
    carried = [f for f in spec.fields if any(f in r.cells for r in rows)]
    text = _csv(fields, [r.values for r in rows])
    fresh = normalize(Path(display), display, resource, schemas.fields(resource), settings.max_rows,
                      data=text.encode("utf-8"))
    for problem in fresh.problems:
        if problem.row and 2 <= problem.row < len(rows) + 2 and problem.field in rows[problem.row - 2].cells:
            result.problems.append(_at(problem, rows[problem.row - 2].cells[problem.field], display, schemas, resource))
        elif problem.is_error:
            result.problems.append(problem)
    if fresh.text is None or len(result.errors) > prior:
        return
    _, canonical = table_rows(fresh.text)
    new_rows = [dict(zip(fields, values, strict=False)) for values in canonical]
    # 2. Merged into the package's table by key: added, unchanged, or changed (with --update).
    old_text = before.texts.get(resource) or _csv(fields, [])
    header, old_body = table_rows(old_text)
    merged = [dict(zip(header, values, strict=False)) for values in old_body]
    where = {tuple(r.get(k, "") for k in key_fields): i for i, r in enumerate(merged)}
    origin: dict[int, _Row] = {}
    seen: dict[tuple, _Row] = {}
    for form_row, values in zip(rows, new_rows, strict=True):
        key = tuple(values.get(k, "") for k in key_fields)
        label = "、".join(k for k in key if k)
        if key in seen:
            first = seen[key].cells[key_fields[0]]
            result.problems.append(_at(error(
                "form-duplicate-row", display, None, key_fields[0],
                f"这一行和第 {first.row} 行是同一条记录（{label}）：一条记录只填一行，请删掉一行或改正编号。",
                f"This row repeats the record of row {first.row} ({label}): keep one of them or fix its key."),
                form_row.cells[key_fields[0]], display, schemas, resource))
            continue
        seen[key] = form_row
        if key in where:
            current = merged[where[key]]
            diffs = [(f, current.get(f, ""), values[f]) for f in carried if current.get(f, "") != values[f]]
            if not diffs:
                result.unchanged.append(label)
                continue
            if not update:
                for name, old, new in diffs:
                    result.problems.append(_at(error(
                        "row-exists", display, None, name,
                        f"数据包里已有 {label} 这条记录，这一格原来是“{old or '（空）'}”，表里是“{new or '（空）'}”。"
                        "确实要改，请加 --update 再导入；不改，请把这一格改回原值。",
                        f"{label} is already in the package with {old!r} here, the form says {new!r}. Import "
                        "with --update to change it, or put the old value back."),
                        form_row.cells[name], display, schemas, resource))
                continue
            current.update({f: values[f] for f in carried})
            origin[where[key]] = form_row
            result.changed.append((label, diffs))
        else:
            where[key] = len(merged)
            origin[len(merged)] = form_row
            merged.append({f: values.get(f, "") for f in fields})
            result.added.append(label)
    if len(result.errors) > prior or not (result.added or result.changed):
        return
    # 3. The whole package checked with the rows merged in, in a copy; problems of the form's rows at their cells.
    with tempfile.TemporaryDirectory(prefix="gongshi-import-") as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".git"))
        merged_text = _csv(fields, merged)
        (copy / target).write_text(merged_text, encoding="utf-8", newline="\n")
        descriptor = _with_resource(package.descriptor, resource, schemas)
        if descriptor is not package.descriptor:
            write_descriptor(copy, descriptor)
        after = check_county(copy, settings)
        known = {(p.code, p.path.replace(str(folder), ""), p.row, p.field) for p in before.problems}
        for problem in after.problems:
            if Path(problem.path) == copy / target and problem.row and problem.row - 2 in origin:
                form_row = origin[problem.row - 2]
                cell = form_row.cells.get(problem.field) or next(iter(form_row.cells.values()))
                result.problems.append(_at(problem, cell, display, schemas, resource))
            elif (problem.code, problem.path.replace(str(copy), ""), problem.row, problem.field) not in known:
                result.problems.append(Problem(problem.code, problem.severity,
                                               problem.path.replace(str(copy), str(folder)), problem.row,
                                               problem.field, problem.message, problem.message_en))
    if result.errors:
        return
    # 4. Nothing was wrong: write the table (and list it in the descriptor when it is new to the package).
    path = folder / target
    path.write_text(merged_text, encoding="utf-8", newline="\n")
    result.written.append(path)
    if descriptor is not package.descriptor:
        result.written.append(write_descriptor(folder, descriptor))


def _not_finite(text: str) -> bool:
    try:
        return not Decimal(text.strip().replace(",", "")).is_finite()
    except InvalidOperation:
        return False


def _target(result: Imported, package, resource: str, before, display: str) -> Path | None:
    """The table's file inside the package folder, or None (with a problem) when writing it could lose data: a
    file the descriptor does not list (it would be replaced), or a table whose repairs are not saved yet (its other
    rows would be rewritten with it)."""
    listed = package.resources.get(resource)
    if listed is None:
        path = Path(f"{resource}.csv")
        if (package.folder / path).exists():
            result.problems.append(error(
                "form-table-unrepaired", str(package.folder / path), None, None,
                f"数据包里有 {path}，但 datapackage.json 没有列出它：先在 datapackage.json 的 resources 里列出它"
                "（照 gongshi new-county 生成的数据包写），或移走这个文件，再导入，以免它被覆盖。",
                f"{path} is in the package folder but datapackage.json does not list it: list it among the "
                "resources (as gongshi new-county writes them) or move the file away before importing, so that it "
                "is not overwritten."))
            return None
        return path
    table = before.normalized.get(resource)
    if table is not None and table.changed:
        result.problems.append(error(
            "form-table-unrepaired", str(listed), None, None,
            f"{listed.name} 里还有可以自动修复、但没有保存的内容（如日期写法、编码、换行）：先运行 gongshi repair "
            f"{package.folder} 保存修复，再导入，这样导入只添加表里的行，不会顺带改动其他行。",
            f"{listed.name} has repairs not saved yet: run gongshi repair first, so that the import adds the form's "
            "rows and changes no other row."))
        return None
    return listed.relative_to(package.folder)


def _with_resource(descriptor: dict, resource: str, schemas: SchemaSet) -> dict:
    """The descriptor, with the optional table listed when the package did not have it yet."""
    if resource not in OPTIONAL_RESOURCES or any(r.get("name") == resource for r in descriptor.get("resources", [])):
        return descriptor
    entry = {"name": resource, "path": f"{resource}.csv", "title": schemas.tables[resource].get("title", resource),
             "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {k: v for k, v in schemas.tables[resource].items() if k != "$schema"}}
    return {**descriptor, "resources": [*descriptor.get("resources", []), entry]}
