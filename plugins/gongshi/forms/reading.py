"""A filled form as the spreadsheet stored it: every sheet's filled cells (.xlsx with openpyxl, .xls with
calamine), and each cell turned into the text a package's CSV holds, whatever the program made of what the clerk
typed (a date, a serial number, a float code, a list's label)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .workbook import column_letter


@dataclass
class Cell:
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    col: int  # 0-based

    @property
    def ref(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


@dataclass
class Sheet:
    """A sheet's cells that hold something, by (1-based row, 0-based column): a form is small, but a workbook can
    claim a million rows by one cell far away, so nothing is filled in between."""

    name: str
    hidden: bool
    cells: dict[tuple[int, int], object]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas whose value was never calculated
    hidden_rows: set[int] = field(default_factory=set)  # 1-based
    hidden_cols: set[int] = field(default_factory=set)  # 0-based

    def value(self, row: int, col: int) -> object:
        """The value at a 1-based row and 0-based column, None when empty."""
        return self.cells.get((row, col))

    def row(self, number: int) -> list[object]:
        """One row's values from column A to its last filled cell."""
        cols = [c for r, c in self.cells if r == number]
        return [self.cells.get((number, c)) for c in range(max(cols) + 1)] if cols else []

    @property
    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})


@dataclass
class Workbook:
    sheets: list[Sheet]
    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # defined name -> (sheet, 1-based row)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


class FormReadError(Exception):
    """The file is not a spreadsheet gongshi can read; the message says why and what to do."""


def read_workbook(path: Path) -> Workbook:
    """Every sheet's values as the spreadsheet stored them: .xlsx with openpyxl, .xls with calamine."""
    suffix = path.suffix.lower()
    if suffix == ".et":
        raise FormReadError("这是 WPS 表格自己的 .et 格式，读不了：请在 WPS 里点“文件 → 另存为”，选“Excel 工作簿(*.xlsx)”，"
                            "再导入另存的文件。 / This is WPS's own .et format: save it as an Excel workbook (*.xlsx).")
    if suffix in (".docx", ".doc", ".wps", ".pdf"):
        raise FormReadError("这是打印用的文书（申请书、责任书或 PDF），不导入：申请书只在村委会存档，责任书签订后记入“项目监管责任台账”"
                            "再导入台账。 / A letter or a PDF is printed, not imported: record a signed responsibility "
                            "letter in the 项目监管责任台账 workbook and import that.")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        return _read_xls(path)
    raise FormReadError(f"只能导入 .xlsx 或 .xls 表格，这是 {suffix or '没有扩展名的文件'}。 / "
                        f"Only .xlsx or .xls workbooks can be imported, not {suffix or 'a file without extension'}.")


MAX_CELLS = 1_000_000  # filled cells in a workbook; a form a county fills has far fewer


def _too_large() -> FormReadError:
    return FormReadError(f"表格里填了超过 {MAX_CELLS:,} 个格子，不是一张标准表：请只导入下载的标准表。 / "
                         f"The workbook has over {MAX_CELLS:,} filled cells; it is not a standard form.")


def _read_xlsx(path: Path) -> Workbook:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FormReadError(f"表格文件打不开（{type(exc).__name__}）：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。 / "
                            f"The workbook cannot be read ({type(exc).__name__}): open it and save it as .xlsx.") from exc
    sheets, count = [], 0
    for ws in book.worksheets:
        # The cells that exist, not the rectangle up to the farthest one (openpyxl's iter_rows would fill it).
        cells, missing = {}, set()
        written = formulas[ws.title]._cells  # noqa: SLF001 (openpyxl keeps a sheet's cells in this dict)
        for (row, col), cell in ws._cells.items():  # noqa: SLF001
            value = cell.value
            if written.get((row, col)) is not None and written[(row, col)].data_type == "f" and value is None:
                missing.add((row, col - 1))
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cells[(row, col - 1)] = value
        count += len(cells)
        if count > MAX_CELLS:
            raise _too_large()
        from openpyxl.utils import column_index_from_string

        rows_hidden = {n for n, d in ws.row_dimensions.items() if d.hidden}
        cols_hidden = {column_index_from_string(k) - 1 for k, d in ws.column_dimensions.items() if d.hidden}
        sheets.append(Sheet(ws.title, ws.sheet_state != "visible", cells, missing, rows_hidden, cols_hidden))
    names = {}
    for name, defined in book.defined_names.items():
        for title, ref in defined.destinations:
            digits = "".join(c for c in ref.split(":")[0] if c.isdigit())
            if digits:
                names[name] = (title, int(digits))
    return Workbook(sheets, names)


def _read_xls(path: Path) -> Workbook:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height * sheet.width > 20 * MAX_CELLS:
                raise _too_large()
            cells = {(r, c): v for r, row in enumerate(sheet.to_python(skip_empty_area=False), start=1)
                     for c, v in enumerate(row) if v is not None and not (isinstance(v, str) and not v.strip())}
            sheets.append(Sheet(meta.name, str(meta.visible).lower().endswith("hidden"), cells))
    except FormReadError:
        raise
    except Exception as exc:
        raise FormReadError(f"表格文件打不开（{type(exc).__name__}）：请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。 / "
                            f"The workbook cannot be read ({type(exc).__name__}): open it and save it as .xlsx.") from exc
    return Workbook(sheets)


def cell_text(value: object, spec: dict, choices: set[str] = frozenset()) -> str:
    """The text the package holds for a cell, whatever the spreadsheet made of what the clerk typed."""
    if value is None:
        return ""
    kind = spec.get("type", "string")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value}.00" if kind == "number" else str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)  # refused by the type check
        if kind == "number":
            exact = Decimal(repr(value))
            try:
                cents = exact.quantize(Decimal("0.01"))
            except InvalidOperation:  # too many digits to round to cents
                return format(exact, "f")
            # A sum Excel worked out (=A1*0.3) carries a binary fraction's last digits, 12345.599999999999; the
            # clerk sees and means 12345.60. Nothing a person types is that close to a whole fen without being it.
            if abs(exact - cents) <= abs(exact) * Decimal("1e-13") + Decimal("1e-12"):
                return f"{cents:.2f}"
            return format(exact, "f")
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))  # a code or a year typed into a number cell
        return repr(value)
    text = str(value).strip()
    labels = {label: code for code, label in spec.get("enumLabels", {}).items()}
    if text in labels:
        return labels[text]  # the Chinese label the drop-down list offers
    if choices and " " in text:
        head = text.split(" ", 1)[0]
        if head in choices:
            return head  # "XM2025-005 金竹村通组道路硬化工程" from the drop-down list
    return text
