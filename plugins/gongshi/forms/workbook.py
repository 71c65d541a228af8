"""A standard form as the XLSX a clerk fills in Excel or WPS, made from its declaration and the Table Schemas.

The main sheet holds a title, a line of instructions, the Chinese headers (a * marks what must be filled), a hidden
row of field names, and bordered rows to fill (or one record, a label and a value on each line, with the field
names in a hidden column). Below them a sign-off block for each level that signs the paper. Every column has its
number format (codes and ids as text, so no digit is lost; money as #,##0.00; dates as yyyy-mm-dd) and a data
validation with a Chinese prompt: lists for enumerations and for the county's own ids, kept on the hidden sheet
`_代码` because Excel refuses a list written inline over 255 characters; dates, numbers and lengths. The cells to
fill are unlocked and the rest protected, without a password. The hidden sheet `_gongshi` names the form, its
version, the county and the digest of the package it was made from, which `gongshi import` reads back.

The same form and data always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..package.records import parse_value
from ..schemas import SchemaSet
from ..site.spreadsheet import FIXED_TIME
from . import Choice, CountyLists, FormSpec, reference_of

META_SHEET = "_gongshi"
LIST_SHEET = "_代码"
SIGNOFF_NAME = "签字栏"
SIGNOFF_MARK = "签字栏"
TITLE_ROW, NOTE_ROW, HEADER_ROW, NAME_ROW = 0, 1, 2, 3
FIRST_ROW = 4  # zero-based: spreadsheet row 5
VALIDATED_ROWS = 2000  # rows below the printed ones keep the lists and checks when the clerk adds more
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Made:
    """One workbook made: where, which form, and how many records it carries prefilled."""

    path: Path
    form: str
    records: int


def package_digest(folder: Path, resources: dict[str, Path] | None = None, read=None) -> str:
    """A digest of a package's descriptor and tables: a form made from it says which version of the data it saw.
    `read` gives a file's bytes by its name in the folder, when the caller has them already."""
    folder = Path(folder)
    digest = hashlib.sha256()
    names = ["datapackage.json", *sorted(Path(p).relative_to(folder).as_posix() for p in (resources or {}).values())]
    for name in names:
        data = read(name) if read else ((folder / name).read_bytes() if (folder / name).is_file() else None)
        digest.update(name.encode() + b"\0")
        digest.update(data or b"")
    return digest.hexdigest()


def label(spec: dict) -> str:
    required = spec.get("constraints", {}).get("required")
    return ("*" if required else "") + spec.get("title", spec["name"])


def _prompt(spec: dict, choices: list[Choice] | None) -> tuple[str, str]:
    """The input prompt of a cell: its title (at most 32 characters) and what to type (at most 255)."""
    constraints = spec.get("constraints", {})
    kind = spec.get("type", "string")
    parts = []
    if constraints.get("required"):
        parts.append("必填。")
    if "enum" in constraints or choices:
        parts.append("从下拉列表中选。")
    elif kind == "date" or spec.get("partialDate"):
        parts.append("日期，如 2025-07-04" + ("；只知道年月可写 2025-07。" if spec.get("partialDate") else "。"))
    elif kind == "number":
        parts.append("金额（元），只填数字，可带两位小数。")
    elif kind == "integer":
        parts.append("整数。")
    elif spec.get("separator"):
        parts.append(f"多个用“{spec['separator']}”分开。")
    description = (spec.get("description") or "").replace("\n", " ")
    message = "".join(parts) + description
    if len(message) > 255:
        message = message[:254] + "…"
    return spec.get("title", spec["name"])[:32], message


def natural_width(spec: dict) -> float:
    kind = spec.get("type", "string")
    limit = spec.get("constraints", {}).get("maxLength", 0)
    if kind == "date" or spec.get("partialDate"):
        return 12
    if kind in ("number", "integer"):
        return 14
    if limit >= 500:
        return 30
    return max(10, min(24, len(spec.get("title", "")) * 2.2 + 2))


class FormWriter:
    """Writes the workbooks of one county (or the blank forms of the whole site, with no county)."""

    def __init__(self, schemas: SchemaSet, lists: CountyLists | None = None, digest: str = "",
                 made_on: dt.date | None = None):
        self.schemas = schemas
        self.lists = lists or CountyLists()
        self.digest = digest
        self.made_on = made_on

    def choices(self, spec: FormSpec, field: dict) -> list[Choice] | None:
        """The entries of a field's drop-down list, or None for a field that has none."""
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            labels = field.get("enumLabels", {})
            return [Choice(code, labels.get(code, code)) for code in constraints["enum"]]
        if field.get("separator"):
            return None  # several ids in one cell: a list would refuse them
        reference = reference_of(self.schemas, spec.resource, field["name"])
        if reference and self.lists.by_resource.get(reference):
            return self.lists.by_resource[reference]
        return None

    def width(self, spec: FormSpec, field: dict) -> float:
        """A column wide enough for what the clerk picks or types: an id with its name needs room."""
        if self.choices(spec, field) and "enum" not in field.get("constraints", {}):
            return 32
        return natural_width(field)

    def write(self, target: Path, spec: FormSpec, records: list[dict[str, str]] | None = None,
              context: dict[str, str] | None = None, key: str | None = None) -> Made:
        """Write the form to target: prefilled with records (canonical text values), its blank rows carrying the
        context values (the project a form is for)."""
        import xlsxwriter

        records = records or []
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        workbook = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False,
                                                     "strings_to_numbers": False})
        workbook.set_properties({"created": FIXED_TIME, "title": spec.title, "subject": spec.resource,
                                 "author": self.lists.name or "gongshi", "comments": "gongshi standard form"})
        book = _Book(workbook, self, spec)
        if spec.layout == "record":
            book.record_sheet(records[0] if records else {}, context or {})
        else:
            book.table_sheet(records, context or {})
        book.lists_sheet()
        book.meta_sheet(len(records), key)
        workbook.close()
        return Made(target, spec.id, len(records))


class _Book:
    def __init__(self, workbook, writer: FormWriter, spec: FormSpec):
        self.workbook, self.writer, self.spec = workbook, writer, spec
        self.fields = spec.field_specs(writer.schemas)
        self.sheet = workbook.add_worksheet(spec.sheet)
        self.lists: list[tuple[str, list[Choice]]] = []
        font = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        add = workbook.add_format
        self.fmt = {
            "title": add({**font, "bold": True, "font_size": 16, "align": "center"}),
            "note": add({**font, "font_size": 9, "text_wrap": True, "font_color": "#444444"}),
            "header": add({**font, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                           "bg_color": "#EEEEEE"}),
            "name": add({**font, "font_size": 8, "font_color": "#888888"}),
            "label": add({**font, "bold": True, "border": 1, "text_wrap": True, "bg_color": "#EEEEEE"}),
            "sign": add({**font, "text_wrap": True, "valign": "top", "border": 1}),
        }
        self.cell_fmt = {}
        for kind, number in (("text", "@"), ("long", "@"), ("date", "yyyy-mm-dd"), ("number", "#,##0.00"),
                             ("integer", "0")):
            # Long text wraps; an id shown with its name ("XM2025-005 金竹村…") stays on one line.
            self.cell_fmt[kind] = add({**font, "border": 1, "locked": False, "num_format": number,
                                       "text_wrap": kind == "long"})

    def kind(self, field: dict) -> str:
        kind = field.get("type", "string")
        if kind in ("date", "number", "integer"):
            return kind
        return "long" if field.get("constraints", {}).get("maxLength", 0) >= 500 else "text"

    def write_value(self, row: int, col: int, field: dict, text: str) -> None:
        """One value from the package (canonical text) into its cell, typed as the clerk would have typed it."""
        fmt = self.cell_fmt[self.kind(field)]
        if text == "":
            self.sheet.write_blank(row, col, None, fmt)
            return
        kind = field.get("type", "string")
        if kind == "date":
            value = parse_value(text, "date")
            if value is not None:
                self.sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
                return
        if kind in ("number", "integer"):
            value = parse_value(text, kind)
            if value is not None:
                self.sheet.write_number(row, col, float(value) if kind == "number" else int(value), fmt)
                return
        choices = self.writer.choices(self.spec, field)
        if choices:
            shown = {c.value: c.shown for c in choices}
            text = shown.get(text, text)
        self.sheet.write_string(row, col, text, fmt)

    def validate(self, first: int, last: int, col: int, field: dict) -> None:
        """The data validation and prompt of one field's cells."""
        choices = self.writer.choices(self.spec, field)
        title, message = _prompt(field, choices)
        options = {"input_title": title, "input_message": message, "error_type": "stop",
                   "error_title": "输入不对"}
        constraints = field.get("constraints", {})
        kind = field.get("type", "string")
        if choices:
            name = self.list_name(field["name"], choices)
            options.update(validate="list", source=f"={name}",
                           error_message="请从下拉列表中选择；没有要选的，请先把它加进数据包。")
        elif kind == "date":
            options.update(validate="date", criteria="between", minimum=dt.datetime.combine(DATE_MIN, dt.time()),
                           maximum=dt.datetime.combine(DATE_MAX, dt.time()),
                           error_message="请填日期，如 2025-07-04。")
        elif kind == "number":
            options.update(validate="decimal", criteria=">=", value=constraints.get("minimum", 0),
                           error_message="请填数字（元），不要带单位。")
        elif kind == "integer":
            options.update(validate="integer", criteria="between", minimum=constraints.get("minimum", 0),
                           maximum=constraints.get("maximum", 2**31 - 1), error_message="请填整数。")
        elif constraints.get("maxLength"):
            options.update(validate="length", criteria="<=", value=constraints["maxLength"],
                           error_message=f"最多 {constraints['maxLength']} 个字。")
        else:
            options.update(validate="any")
        self.sheet.data_validation(first, col, last, col, options)

    def list_name(self, field: str, choices: list[Choice]) -> str:
        name = f"list_{field}"
        if all(existing != name for existing, _ in self.lists):
            self.lists.append((name, choices))
        return name

    def table_sheet(self, records: list[dict[str, str]], context: dict[str, str]) -> None:
        spec, sheet, fields = self.spec, self.sheet, self.fields
        last_col = len(fields) - 1
        county = self.writer.lists.name or ""
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, f"{county}{spec.title}", self.fmt["title"])
        sheet.set_row(TITLE_ROW, 30)
        sheet.merge_range(NOTE_ROW, 0, NOTE_ROW, last_col, instructions(spec), self.fmt["note"])
        sheet.set_row(NOTE_ROW, 42)
        for col, field in enumerate(fields):
            sheet.write_string(HEADER_ROW, col, label(field), self.fmt["header"])
            sheet.write_string(NAME_ROW, col, field["name"], self.fmt["name"])
            sheet.set_column(col, col, self.writer.width(self.spec, field))
        sheet.set_row(HEADER_ROW, 32)
        sheet.set_row(NAME_ROW, None, None, {"hidden": True})
        count = len(records) + spec.project_rows if context else max(spec.rows, len(records) + 5)
        for offset in range(count):
            values = records[offset] if offset < len(records) else context
            for col, field in enumerate(fields):
                self.write_value(FIRST_ROW + offset, col, field, values.get(field["name"], ""))
        for col, field in enumerate(fields):
            self.validate(FIRST_ROW, FIRST_ROW + max(count, VALIDATED_ROWS) - 1, col, field)
        end = self.signoff(FIRST_ROW + count + 1, last_col)
        self.page(end, last_col, repeat=(0, NAME_ROW))
        sheet.freeze_panes(FIRST_ROW, 0)

    def record_sheet(self, record: dict[str, str], context: dict[str, str]) -> None:
        spec, sheet, fields = self.spec, self.sheet, self.fields
        county = self.writer.lists.name or ""
        sheet.merge_range(TITLE_ROW, 0, TITLE_ROW, 1, f"{county}{spec.title}", self.fmt["title"])
        sheet.set_row(TITLE_ROW, 30)
        sheet.merge_range(NOTE_ROW, 0, NOTE_ROW, 1, instructions(spec), self.fmt["note"])
        sheet.set_row(NOTE_ROW, 42)
        sheet.write_string(HEADER_ROW, 0, "项目", self.fmt["header"])
        sheet.write_string(HEADER_ROW, 1, "填写内容", self.fmt["header"])
        sheet.write_string(HEADER_ROW, 2, "field", self.fmt["name"])
        sheet.set_row(NAME_ROW, None, None, {"hidden": True})
        sheet.set_column(0, 0, 20)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 2, 12, None, {"hidden": True})
        values = record or context
        for offset, field in enumerate(fields):
            row = FIRST_ROW + offset
            sheet.write_string(row, 0, label(field), self.fmt["label"])
            self.write_value(row, 1, field, values.get(field["name"], ""))
            sheet.write_string(row, 2, field["name"], self.fmt["name"])
            self.validate(row, row, 1, field)
            limit = field.get("constraints", {}).get("maxLength", 0)
            if limit >= 500:
                sheet.set_row(row, 48)
        end = self.signoff(FIRST_ROW + len(fields) + 1, 1)
        self.page(end, 1, repeat=None)

    def signoff(self, row: int, last_col: int) -> int:
        """The sign-off block from row on (a line per level that signs); return its last row."""
        sheet = self.sheet
        self.workbook.define_name(SIGNOFF_NAME, f"='{self.spec.sheet}'!$A${row + 1}")
        sheet.merge_range(row, 0, row, last_col, f"{SIGNOFF_MARK}（打印后手写签字、盖章；导入时这里不读）", self.fmt["note"])
        for level in self.spec.signoff:
            row += 1
            text = f"{level}\n意见：\n\n负责人（签字）：　　　　　　　　（公章）　　　　　　年　　月　　日"
            sheet.merge_range(row, 0, row, last_col, text, self.fmt["sign"])
            sheet.set_row(row, 78)
        return row

    def page(self, last_row: int, last_col: int, repeat: tuple[int, int] | None) -> None:
        sheet = self.sheet
        sheet.set_paper(9)  # A4
        if self.spec.orientation == "landscape":
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
        sheet.fit_to_pages(1, 0)
        sheet.print_area(0, 0, last_row, last_col)
        if repeat:
            sheet.repeat_rows(*repeat)
        sheet.set_footer("&C第 &P 页 / 共 &N 页")
        sheet.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True,
                           "sort": True, "autofilter": True, "select_locked_cells": True,
                           "select_unlocked_cells": True})
        sheet.activate()

    def lists_sheet(self) -> None:
        sheet = self.workbook.add_worksheet(LIST_SHEET)
        for col, (name, choices) in enumerate(self.lists):
            sheet.write_string(0, col, name)
            for row, choice in enumerate(choices, start=1):
                sheet.write_string(row, col, choice.shown)
            letter = column_letter(col)
            last = max(len(choices), 1) + 1
            self.workbook.define_name(name, f"='{LIST_SHEET}'!${letter}$2:${letter}${last}")
        sheet.hide()
        sheet.protect("")

    def meta_sheet(self, records: int, key: str | None) -> None:
        spec, writer = self.spec, self.writer
        sheet = self.workbook.add_worksheet(META_SHEET)
        rows = [("form", spec.id), ("title", spec.title), ("version", str(spec.version)),
                ("resource", spec.resource), ("layout", spec.layout), ("county", writer.lists.county or ""),
                ("county_name", writer.lists.name or ""), ("key", key or ""), ("package", writer.digest),
                ("made_on", writer.made_on.isoformat() if writer.made_on else ""), ("records", str(records)),
                ("first_row", str(FIRST_ROW + 1)), ("fields", ",".join(spec.fields))]
        for row, (name, value) in enumerate(rows):
            sheet.write_string(row, 0, name)
            sheet.write_string(row, 1, value)
        sheet.hide()
        sheet.protect("")


def instructions(spec: FormSpec) -> str:
    return (f"{spec.purpose}\n填表：{spec.filled_by}。带 * 的必填；点单元格可看填写提示；"
            "下拉列表里选；日期写成 2025-07-04。不要写身份证号、银行账号和个人手机号。")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
