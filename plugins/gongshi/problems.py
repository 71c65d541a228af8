"""One error shape for every problem from every stage, its three renderings, and gongshi's own failures."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .codes import CODES, ERROR, WARNING


class GongshiError(Exception):
    """A failure of gongshi's own, not a problem in a package: no font, a key that cannot be read, an archive that
    is not safe. The message says what went wrong and what to do, in Chinese and English; the command line exits 1
    and prints it without a traceback."""


@dataclass(frozen=True)
class Problem:
    """A problem found in a data package, addressed as a clerk would find it in a spreadsheet."""

    code: str
    severity: str
    path: str
    row: int | None
    field: str | None
    message: str
    message_en: str
    # A problem in a filled form (gongshi import) is found at a cell of a sheet: 「验收登记」C5, with its field's title.
    sheet: str | None = None
    cell: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(f"problem code {self.code!r} is not declared in gongshi/codes.py")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """The problem for programs; a form's sheet, cell and field title only when it has them."""
        found = asdict(self)
        for key in ("sheet", "cell", "title"):
            if found[key] is None:
                del found[key]
        return found


def error(code: str, path: str, row: int | None, field: str | None, message: str, message_en: str) -> Problem:
    return Problem(code, ERROR, path, row, field, message, message_en)


def warning(code: str, path: str, row: int | None, field: str | None, message: str, message_en: str) -> Problem:
    return Problem(code, WARNING, path, row, field, message, message_en)


def sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.row or 0, problem.field or "", problem.code)


def count(problems: Iterable[Problem]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    problems = list(problems)
    errors = sum(1 for p in problems if p.is_error)
    return errors, len(problems) - errors


def as_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(problems: Iterable[Problem]) -> str:
    """Render problems as GitHub Actions workflow commands (annotations)."""
    lines = []
    for p in problems:
        props = [f"file={_github_escape(p.path, property_value=True)}"]
        if p.row:
            props.append(f"line={p.row}")
        title = p.code + (f" ({p.field})" if p.field else "")
        props.append(f"title={_github_escape(title, property_value=True)}")
        body = _github_escape(f"{p.message} / {p.message_en}")
        lines.append(f"::{p.severity} {','.join(props)}::{body}")
    return "\n".join(lines)


def as_text(problems: Iterable[Problem]) -> str:
    """Render problems for a person: where, what, and how to fix it, in Chinese then English."""
    blocks = []
    for p in problems:
        where = [p.path]
        if p.cell:
            where[0] += f"「{p.sheet}」{p.cell}" + (f"（{p.title}）" if p.title else "")
            if p.field:
                where.append(f"(sheet {p.sheet}, cell {p.cell}, field {p.field})")
        else:
            if p.row:
                where.append(f"第{p.row}行 (row {p.row})")
            if p.field:
                where.append(f"列 {p.field} (column {p.field})")
        level = "错误 error" if p.is_error else "警告 warning"
        blocks.append(f"{' '.join(where)}  [{level}: {p.code}]\n  {p.message}\n  {p.message_en}")
    return "\n\n".join(blocks)


def as_line(problem: Problem) -> str:
    """One problem on one line, for the build log: where (path:row column), its code, Chinese, then English."""
    if problem.cell:
        where = f"{problem.path}「{problem.sheet}」{problem.cell}" + (f"（{problem.title}）" if problem.title else "")
    else:
        where = problem.path + (f":{problem.row}" if problem.row else "") + (f" {problem.field}" if problem.field else "")
    return f"{where} [{problem.code}] {problem.message} / {problem.message_en}".replace("\n", " ")


def summary(problems: Iterable[Problem]) -> str:
    errors, warnings = count(problems)
    if not errors and not warnings:
        return "检查通过，没有发现问题。 / No problems found."
    return f"共 {errors} 个错误、{warnings} 个警告。 / {errors} error(s), {warnings} warning(s)."
