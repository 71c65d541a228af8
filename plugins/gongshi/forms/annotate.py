"""The annotated copy of a filled form (`gongshi import --annotate`): its bad cells red and commented, and a 错误清单
sheet listing every problem with a link to its cell."""

from __future__ import annotations

from pathlib import Path

from ..problems import Problem
from .reading import FormReadError


def annotation_refusal(form: Path, target: Path, folder: Path) -> str | None:
    """Why the annotated copy cannot be written there, or None: never over the form, never into the package."""
    form, target, folder = Path(form).resolve(), Path(target).resolve(), Path(folder).resolve()
    if target == form:
        return "批注副本不能覆盖原表，请换一个文件名。 / The annotated copy must not overwrite the form."
    if target == folder or folder in target.parents:
        return ("批注副本不能写进数据包文件夹，请写到别处。 / The annotated copy must not be written into the package "
                "folder.")
    if target.suffix.lower() != ".xlsx":
        return "批注副本要存成 .xlsx 文件。 / The annotated copy must be an .xlsx file."
    return None


def annotate(path: Path, problems: list[Problem], target: Path) -> Path:
    """A copy of the form with each problem's cell filled red and commented, and a 错误清单 sheet listing them all
    with links to their cells. The clerk's own file is never changed; a form that cannot be opened gets a workbook
    with the list alone."""
    from openpyxl import Workbook as NewWorkbook
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    path, target = Path(path), Path(target)
    if target.resolve() == path.resolve():
        raise FormReadError("批注副本不能覆盖原表，请换一个文件名。 / The annotated copy must not overwrite the form.")
    try:
        book = load_workbook(path)
    except Exception:  # a form that cannot be opened (or an .xls): the list of problems alone
        book = NewWorkbook()
        book.active.title = "说明"
        _text(book.active.cell(row=1, column=1), f"{path.name} 打不开，不能在原表上标出错误；错误见“错误清单”。")
    red = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.cell and problem.sheet in book.sheetnames:
            by_cell.setdefault((problem.sheet, problem.cell), []).append(problem)
    for (sheet, ref), found in by_cell.items():
        cell = book[sheet][ref]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = red
        cell.comment = Comment("\n".join(f"[{p.code}] {p.message}" for p in found)[:30000], "gongshi")
    if "错误清单" in book.sheetnames:
        del book["错误清单"]
    sheet = book.create_sheet("错误清单", 0)
    for col, title in enumerate(["位置", "代码", "严重程度", "说明", "Message"], start=1):
        _text(sheet.cell(row=1, column=col), title).font = Font(bold=True)
    for number, problem in enumerate(problems, start=2):
        where = f"「{problem.sheet}」{problem.cell}" if problem.cell else problem.path
        for col, value in enumerate([where, problem.code, "错误" if problem.is_error else "警告", problem.message,
                                     problem.message_en], start=1):
            _text(sheet.cell(row=number, column=col), value)
        if problem.cell and problem.sheet in book.sheetnames:
            link = sheet.cell(row=number, column=1)
            link.hyperlink = f"#'{problem.sheet}'!{problem.cell}"
            link.font = Font(color="0563C1", underline="single")
    for letter, width in (("A", 18), ("B", 22), ("C", 10), ("D", 80), ("E", 60)):
        sheet.column_dimensions[letter].width = width
    book.active = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _text(cell, value: str):
    """Put text in a cell as text: openpyxl would store "=…" as a formula."""
    cell.value = value
    cell.data_type = "s"
    return cell
