"""Read a table the way office PCs really save it: repair what is certain (announced as a warning), refuse the rest.

Decisions, per kind of mess (the clerk guide lists them too):
- Encoding: UTF-8 with or without a byte-order mark is read as is; a file that is not UTF-8 but decodes as
  GB18030/GBK with Chinese in it is repaired (Excel's "CSV (逗号分隔)" on Chinese Windows); anything else is refused.
- CRLF line ends, blank rows, empty trailing columns and cells: repaired (removed), the spreadsheet row numbers kept.
- Headers: a field's name in another case, with spaces or full-width letters, or its Chinese title, is repaired;
  columns in another order are repaired; a column missing, a header that is not a field, a duplicate header are errors.
- Numbers: full-width digits, thousands separators, ￥/元/万元 are repaired (万 multiplies by 10,000).
- Dates: 2018/7/4, 2018.7.4, 2018年7月4日 and Excel date serial numbers are repaired (the last with a "please check").
- Codes and ids: full-width digits, a trailing ".0" and scientific notation that still holds every digit are repaired;
  scientific notation that lost digits (5.10682E+11) or a code that is too short are refused: only the clerk knows them.
- Enumerations: the Chinese label of a value (村 for village) is repaired to its code.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl

from .. import dates
from ..personal import mask_numbers
from ..problems import Problem, error, warning
from ..text import decode, fold

CODE12 = "[0-9]{12}"
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_SCIENTIFIC = re.compile(r"([0-9])(?:\.([0-9]+))?[eE]\+?([0-9]+)")
_EXCEL_POINT_ZERO = re.compile(r"([0-9]+)\.0+")
_DATE_PARTS = re.compile(r"([0-9]{4})\s*[/.\-年]\s*([0-9]{1,2})\s*[/.\-月]\s*([0-9]{1,2})\s*日?")
_DATE_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]00:00(:00)?")
_EXCEL_SERIAL = re.compile(r"([0-9]{5})(\.0+)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_UNITS = (("亿元", Decimal(100_000_000)), ("亿", Decimal(100_000_000)), ("万元", Decimal(10_000)),
          ("万", Decimal(10_000)), ("元", Decimal(1)))
_CURRENCY = ("¥", "￥", "RMB", "CNY")


@dataclass
class Normalized:
    """A table read and repaired: its text in canonical form, and how its rows map back to the spreadsheet."""

    resource: str
    text: str | None = None
    rows: list[int] = field(default_factory=list)
    original: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # Cells and columns already reported as errors here, so later checks do not report them twice.
    reported: set[tuple[int, str]] = field(default_factory=set)
    missing_fields: set[str] = field(default_factory=set)
    changed: bool = False
    # The canonical table as strings, one column per field in schema order ("" for an empty cell).
    frame: pl.DataFrame | None = None
    # True when the file was in the standard shape: original cells are the canonical ones, row i of the frame is
    # spreadsheet row i + 2.
    plain: bool = False

    def spreadsheet_row(self, row: int | None) -> int | None:
        """Map a row of the canonical text back to the row the clerk sees in the spreadsheet."""
        if row is None or row < 2 or row - 2 >= len(self.rows):
            return row
        return self.rows[row - 2]


def _decode(data: bytes, out: Normalized, path: str) -> str | None:
    decoded = decode(data)
    if decoded.bom:
        out.changed = True
        out.problems.append(warning("bom-removed", path, None, None,
                                    "文件开头有 UTF-8 字节顺序标记（BOM），已去掉。内容不变。",
                                    "The file starts with a UTF-8 byte-order mark; it was removed. Content unchanged."))
    if decoded.encoding == "utf-8":
        return decoded.text
    if decoded.plausible:
        out.changed = True
        out.problems.append(warning("encoding-repaired", path, None, None,
                                    "文件是 GBK/GB18030 编码（表格软件默认的“CSV（逗号分隔）”），已按 UTF-8 重新保存。"
                                    "以后请选“CSV UTF-8（逗号分隔）”保存。",
                                    "The file is GBK/GB18030 encoded; it was converted to UTF-8. Save as 'CSV UTF-8' next time."))
        return decoded.text
    out.problems.append(error("encoding-error", path, None, None,
                              f"文件既不是 UTF-8 也不是 GBK 编码，无法读取（第 {decoded.bad_byte} 字节）。"
                              "请在表格软件中“另存为 CSV UTF-8（逗号分隔）”。",
                              f"The file is neither UTF-8 nor GBK (byte {decoded.bad_byte}); save it as 'CSV UTF-8'."))
    return None


def resolve_header(raw: str, fields: list[dict]) -> str | None:
    """Return the field a header names: its name in any case or width, or its Chinese title."""
    folded = fold(raw)
    for f in fields:
        if folded in (f["name"], fold(f.get("title", ""))) or folded.lower() == f["name"].lower():
            return f["name"]
    return None


def _map_header(header: list[str], rows: list[list[str]], fields: list[dict], out: Normalized, path: str) -> dict[int, str]:
    """Return column index → field name, reporting repairs and errors of the header row."""
    names = [f["name"] for f in fields]
    by_title = {fold(f.get("title", "")): f["name"] for f in fields}
    by_lower = {n.lower(): n for n in names}
    mapping: dict[int, str] = {}
    unknown: list[tuple[int, str]] = []
    for i, raw in enumerate(header):
        folded = fold(raw)
        name = folded if folded in names else by_lower.get(folded.lower()) or by_title.get(folded)
        if name is None:
            if not folded and all(i >= len(r) or not r[i].strip() for r in rows):
                out.changed = True
                out.problems.append(warning("empty-column-removed", path, 1, None,
                                            f"第{i + 1}列没有表头也没有内容，已删除。",
                                            f"Column {i + 1} has no header and no content; it was removed."))
                continue
            unknown.append((i, raw))
            continue
        if name in mapping.values():
            out.problems.append(error("duplicate-label", path, 1, name,
                                      f"表头“{raw}”与前面的列重复（都是 {name}）。请删除重复的列。",
                                      f"Header {raw!r} repeats column {name}; delete one of them."))
            out.reported.add((1, name))
            continue
        if raw != name:
            out.changed = True
            out.problems.append(warning("header-repaired", path, 1, name, f"表头“{raw}”已改为字段名“{name}”。",
                                        f"Header {raw!r} was read as field {name!r}."))
        mapping[i] = name
    missing = [n for n in names if n not in mapping.values()]
    guessed = set()
    for i, raw in unknown:
        guess = difflib.get_close_matches(fold(raw).lower(), missing, n=1, cutoff=0.6) or \
            [by_title[t] for t in difflib.get_close_matches(fold(raw), list(by_title), n=1, cutoff=0.5)
             if by_title[t] in missing]
        hint_zh = f"是不是“{guess[0]}”？" if guess else ""
        hint_en = f" Did you mean {guess[0]!r}?" if guess else ""
        code = "incorrect-label" if guess else "extra-label"
        guessed.update(guess[:1])
        out.problems.append(error(code, path, 1, guess[0] if guess else None,
                                  f"第{i + 1}列的表头“{raw}”不是这张表的字段。{hint_zh}表头请用字段名（或字段的中文名），"
                                  "可以从演示县的表里复制。",
                                  f"Header {raw!r} (column {i + 1}) is not a field of this table.{hint_en}"))
    specs = {f["name"]: f for f in fields}
    for name in missing:
        out.missing_fields.add(name)
        out.reported.add((1, name))
        if name in guessed:
            continue
        if specs[name].get("optionalColumn"):  # a ledger's column a table may go without: read as empty, and
            continue  # not a repair to save (an import writes the table with it, empty)
        if specs[name].get("addedIn"):  # a column newer than the file: read as empty, as not stated
            out.changed = True
            out.problems.append(warning(
                "column-added", path, 1, name,
                f"这张表还没有“{name}”列（{by_title_inverse(fields, name)}，gongshi {specs[name]['addedIn']} 起新增），"
                "已按“未载明”处理。原公告写明了的，请加上这一列照原文填写；gongshi repair 会补上空列。",
                f"The table has no column {name!r} (added in gongshi {specs[name]['addedIn']}); it is read as not "
                "stated. Add the column if the notice states it; gongshi repair adds it empty."))
            continue
        out.problems.append(error("missing-label", path, 1, name,
                                  f"缺少“{name}”列（{by_title_inverse(fields, name)}）。请从演示县的表里复制这一列的表头，并填写内容。",
                                  f"Column {name!r} is missing; add it."))
    if list(mapping.values()) != [n for n in names if n in mapping.values()]:
        out.changed = True
        out.problems.append(warning("columns-reordered", path, 1, None, "列的顺序与标准不同，已按标准顺序重排。内容不变。",
                                    "The columns are in another order; they were put in the standard order."))
    return mapping


def by_title_inverse(fields: list[dict], name: str) -> str:
    return next((f.get("title", name) for f in fields if f["name"] == name), name)


def _repair_number(value: str, integer: bool) -> str | None:
    text = fold(value).replace(" ", "")
    multiplier = Decimal(1)
    for prefix in _CURRENCY:
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix, factor in (*_UNITS, ("户", Decimal(1)), ("人", Decimal(1))):
        if text.endswith(suffix):
            text, multiplier = text[:-len(suffix)], factor
            break
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text) * multiplier
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if integer:
        return str(int(number)) if number == number.to_integral_value() else None
    # Money is written with two decimals, as the demo and the forms write it.
    try:
        return format(number.quantize(Decimal("0.01")) if number.as_tuple().exponent >= -2 else number, "f")
    except InvalidOperation:  # more digits than any amount has: left as typed, for the checks to judge
        return None


def _repair_date(value: str) -> tuple[str | None, bool]:
    """Return (ISO date, from an Excel serial number) or (None, False)."""
    text = fold(value)
    if m := _DATE_TIME.fullmatch(text):
        return m.group(1), False
    if m := _DATE_PARTS.fullmatch(text):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), False
        except ValueError:
            return None, False
    if (m := _EXCEL_SERIAL.fullmatch(text)) and 20000 <= int(m.group(1)) <= 80000:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))).isoformat(), True
    return None, False


def _repair_code(value: str, pattern: str) -> tuple[str | None, str | None]:
    """Return (repaired code, None) or (None, why it cannot be repaired) for an id or a code."""
    text = fold(value).replace(" ", "")
    if m := _EXCEL_POINT_ZERO.fullmatch(text):
        text = m.group(1)
    if m := _SCIENTIFIC.fullmatch(text):
        digits = m.group(1) + (m.group(2) or "")
        exponent = int(m.group(3))
        if len(digits) > exponent + 1 or exponent > 30:
            return None, None
        if pattern == CODE12 and len(digits) < exponent + 1:
            return None, "scientific"
        text = digits + "0" * (exponent + 1 - len(digits))
    if pattern == CODE12 and text.isdigit() and len(text) < 12:
        return None, "short"
    return text, None


# What clerks write for a fact the original notice does not state. In a field that may be unstated it is read as
# "not stated" (an empty cell), never as a value that satisfies a rule.
PLACEHOLDER = re.compile(r"[\s(\[【]*(?:原公告|原文|公告|公示)?(?:中)?(?:未载明|未写明|未注明|未列明|未说明|没有写明|不详|暂无|无|"
                         r"/|-|—|——|\.\.\.|…+)[\s)\]】]*")
# Cells that may be such a placeholder (looked at one by one); the rest of a free-text column is left as it is.
PLACEHOLDER_HINT = r"载明|写明|注明|列明|说明|不详|暂无|^[\s（(【\[]*(?:无|/|／|-|－|—|——|\.\.\.|…+)[\s）)】\]]*$"


def unstated(path: str, row: int | None, name: str, spec: dict, written: str | None = None,
             record: str | None = None) -> Problem:
    """The warning that a fact the notice may leave out is not stated: the site shows 未载明, never a guess."""
    title = spec.get("title", name)
    of = f"{record} 的" if record else ""
    said = f"（原文写作“{mask_numbers(written)[:20]}”）" if written else ""
    said_en = f" (written {mask_numbers(written)[:20]!r})" if written else ""
    return warning("not-stated", path, row, name,
                   f"{of}「{title}」未载明{said}。网页和公示上显示“未载明”；如果原公告写明了，请照原文填写。",
                   f"{record + ': ' if record else ''}{name} is not stated{said_en}; the site shows 未载明 "
                   "(not stated). Fill it in as the original notice states it, if it does.")


def is_placeholder(value: str) -> bool:
    """True for text that stands for a fact the notice does not state: （原公告未载明）, 未载明, 无, /, 不详 ..."""
    return bool(value.strip()) and PLACEHOLDER.fullmatch(fold(value)) is not None


def _repair_cell(value: str, spec: dict) -> tuple[str, str | None, str | None]:
    """Return (new value, repair note or None, error reason or None) for one cell."""
    if value == "":
        return value, None, None
    if spec.get("mayBeUnstated") and is_placeholder(value):
        return "", "unstated", None
    kind = spec.get("type", "string")
    constraints = spec.get("constraints", {})
    if kind in ("number", "integer"):
        repaired = _repair_number(value, kind == "integer")
        return (repaired, "number", None) if repaired is not None and repaired != value else (value, None, None)
    if kind == "date":
        repaired, serial = _repair_date(value)
        if repaired is not None and repaired != value:
            return repaired, "serial" if serial else "date", None
        return value, None, None
    if spec.get("partialDate"):  # a day, or only a month or a year (2023年3月, 2019年) as the notice writes it
        repaired, serial = _repair_date(value)
        if repaired is None:
            repaired, serial = dates.repair(fold(value)), False
        if repaired is not None and repaired != value:
            return repaired, "serial" if serial else "date", None
        return value, None, None
    if "enum" in constraints:
        text = fold(value)
        labels = {}
        for code, label in spec.get("enumLabels", {}).items():
            # "村（社区）" also answers to "村" and "社区"; "乡村振兴局（扶贫办）" to either name.
            for alias in [label, *re.split(r"[（）()、]", label)]:
                if fold(alias):
                    labels.setdefault(fold(alias), code)
        # Other names a value goes by: "衔接资金" and "专项扶贫资金" are both special-fund.
        for code, aliases in spec.get("enumAliases", {}).items():
            for alias in aliases:
                labels.setdefault(fold(alias), code)
        repaired = text if text in constraints["enum"] else labels.get(text) or (
            text.lower() if text.lower() in constraints["enum"] else None)
        return (repaired, "enum", None) if repaired is not None and repaired != value else (value, None, None)
    if spec.get("separator"):
        return _repair_list(value, spec)
    if spec.get("filePaths"):
        return value, None, None  # file names are kept as written: spaces and all
    if "pattern" in constraints:
        repaired, reason = _repair_code(value, constraints["pattern"])
        if reason:
            return value, None, reason
        return (repaired, "code", None) if repaired is not None and repaired != value else (value, None, None)
    return value, None, None


# What clerks put between the codes of a list (co-signing units, a project's villages): read as 、. Spaces alone
# do not separate: "139 1234 5678" is a phone number typed into the wrong cell, and is left for the checks to find.
LIST_SEPARATORS = re.compile(r"\s*(?:[、,，;；/／]|和|及)+\s*")


def _repair_list(value: str, spec: dict) -> tuple[str, str | None, str | None]:
    """A cell holding several codes, each repaired as a code, joined with the field's separator."""
    items = [item for item in LIST_SEPARATORS.split(fold(value)) if item]
    repaired = []
    for item in items:
        code, reason = _repair_code(item, spec["itemPattern"])
        if reason:
            return value, None, reason
        code = code if code is not None else item
        if not re.fullmatch(spec["itemPattern"], code):
            return value, None, None  # not a list of codes: the pattern check says what is wrong with it as written
        repaired.append(code)
    joined = spec["separator"].join(repaired)
    return (joined, "list", None) if joined != value else (value, None, None)


REPAIR_NOTES = {
    "number": ("按数字读取", "read as a plain number"),
    "date": ("按日期读取", "read as a date"),
    "serial": ("按表格软件的日期序号换算，请核对日期是否正确", "converted from a spreadsheet date serial number; check it"),
    "enum": ("按可选值读取", "read as the allowed value"),
    "code": ("按完整代码读取", "read as the full code"),
    "list": ("按顿号隔开的编号读取", "read as codes separated by 、"),
}


def normalize(path: Path, display: str, resource: str, fields: list[dict], max_rows: int, *,
              fast: bool = True, data: bytes | None = None) -> Normalized:
    """Read one resource file, repair what is certain, and return its canonical text with every problem found.

    A file in the standard shape (UTF-8, LF line ends, the standard header, no quotes, one cell per field on every
    row) is read column by column, and only its cells that may need a repair are looked at one by one. Any other
    file is read row by row. Both ways give the same result (`fast=False` forces the second, for tests). `data` is
    the file's bytes when the caller has read them already.
    """
    out = Normalized(resource)
    data = path.read_bytes() if data is None else data
    if fast and _read_plain(data, display, fields, max_rows, out):
        return out
    records = _records(data, display, max_rows, out)
    if records is not None:
        header, body = records[0], records[1:]
        _canonical_rows(header, body, _map_header(header, body, fields, out, display), fields, display, out)
    return out


def _records(data: bytes, display: str, max_rows: int, out: Normalized) -> list[list[str]] | None:
    """The file's rows of cells, header first, as a spreadsheet saved them; None (and why) when it cannot be read
    or is over the limit."""
    text = _decode(data, out, display)
    if text is None:
        return None
    out.original = text
    if "\r" in text:
        out.changed = True
        out.problems.append(warning("line-endings-repaired", display, None, None,
                                    "文件使用 Windows 换行符（CRLF），已统一为 LF。内容不变。",
                                    "The file uses Windows line ends (CRLF); they were changed to LF. Content unchanged."))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        out.problems.append(error("format-error", display, None, None, f"CSV 格式错误：{exc}。请检查引号是否成对。",
                                  f"The CSV cannot be parsed: {exc}. Check the quotes."))
        return None
    if not records:
        out.problems.append(error("blank-header", display, 1, None, "文件是空的，连表头都没有。请从演示县复制表头。",
                                  "The file is empty, without even a header row."))
        return None
    if len(records) - 1 > max_rows:
        out.problems.append(error("too-many-rows", display, None, None,
                                  f"这张表有 {len(records) - 1} 行，超过上限 {max_rows} 行，未处理。请拆分数据或联系管理员。",
                                  f"The table has {len(records) - 1} rows, over the limit of {max_rows}; it was not read."))
        return None
    return records


def _canonical_rows(header: list[str], body: list[list[str]], mapping: dict[int, str], fields: list[dict],
                    display: str, out: Normalized) -> None:
    """Write each row in canonical form (the schema's fields in order, values repaired) into out's text and frame,
    remembering the spreadsheet row it came from; blank rows are dropped, and rows with too many or too few cells
    reported."""
    specs = {f["name"]: f for f in fields}
    names = [f["name"] for f in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    trimmed = 0
    kept: list[list[str]] = []
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            out.changed = True
            out.problems.append(warning("blank-row-removed", display, number, None, "这是一个空行，已删除。",
                                        "This row is blank; it was removed."))
            continue
        trimmed += _count_cells(cells, header, mapping, number, display, out)
        values = dict.fromkeys(names, "")
        for i, name in mapping.items():
            if i < len(cells):
                values[name] = _repair_into(out, display, number, name, cells[i], specs[name])
        row = [values[n] for n in names]
        writer.writerow(row)
        kept.append(row)
        out.rows.append(number)
    if trimmed:
        out.changed = True
        out.problems.append(warning("empty-column-removed", display, None, None,
                                    f"有 {trimmed} 行在最后多出空单元格，已删除。内容不变。",
                                    f"{trimmed} row(s) had empty cells past the last column; they were removed."))
    out.text = buffer.getvalue()
    out.frame = pl.DataFrame([pl.Series(name, column, dtype=pl.String)
                              for name, column in zip(names, zip(*kept, strict=True) if kept else [[]] * len(names),
                                                      strict=True)])


def _count_cells(cells: list[str], header: list[str], mapping: dict[int, str], number: int, display: str,
                 out: Normalized) -> int:
    """Report a row with more cells than the header (unless they are empty, returned as 1 to trim) or fewer."""
    trimmed = 0
    extra = [c for c in cells[len(header):] if c.strip()]
    if extra:
        out.problems.append(error("extra-cell", display, number, None,
                                  f"这一行的单元格比表头多（多出“{mask_numbers(extra[0])[:40]}”）。请删除多余的内容，"
                                  "或检查内容中的英文逗号所在的格子是否加了引号。",
                                  f"This row has more cells than the header (extra {mask_numbers(extra[0])[:40]!r})."))
    elif len(cells) > len(header):
        trimmed = 1
    if len(cells) < len(header):
        first = next((mapping[i] for i in range(len(cells), len(header)) if i in mapping), None)
        out.problems.append(error("missing-cell", display, number, first,
                                  "这一行的单元格比表头少。请补齐这一行（可以留空，但逗号不能少）。",
                                  "This row has fewer cells than the header."))
        out.reported.update((number, n) for n in mapping.values())
    return trimmed


def _repair_into(out: Normalized, display: str, number: int, name: str, raw: str, spec: dict) -> str:
    """Repair one cell, recording the repair or the refusal; return the value to use."""
    value, note, refusal = _repair_cell(raw, spec)
    if refusal:
        out.reported.add((number, name))
        out.problems.append(_code_error(refusal, raw, display, number, name))
    elif note == "unstated":
        # Said here, with what the clerk wrote; the check of unstated facts does not say it again.
        out.changed = True
        out.reported.add((number, name))
        out.problems.append(unstated(display, number, name, spec, raw))
    elif note:
        out.changed = True
        zh, en = REPAIR_NOTES[note]
        # A 12-digit code is no personal number; other values, as written and as read, are quoted with any such
        # number hidden (a phone number typed into an id column is read as an id, and must not be said back).
        plain = note == "code" and re.fullmatch(r"[0-9]{12}", value) is not None
        shown, result = (raw, value) if plain else (mask_numbers(raw), mask_numbers(value))
        out.problems.append(warning(
            "value-repaired", display, number, name,
            f"“{shown[:40]}”已{zh}：{result}。如不对，请直接在表中改正。",
            f"{shown[:40]!r} was {en}: {result}."))
    return value


# Characters Python's str.strip() removes: a row of only these and commas is blank.
SPACES = "".join(chr(c) for c in (*range(0x09, 0x0e), *range(0x1c, 0x21), 0x85, 0xa0, 0x1680, *range(0x2000, 0x200b),
                                   0x2028, 0x2029, 0x202f, 0x205f, 0x3000))
_NOT_BLANK = "[^," + "".join(f"\\u{{{ord(c):x}}}" for c in SPACES) + "]"
_POINT_ZERO = r"^[0-9]+\.0+$"
_SCIENTIFIC_CODE = r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$"


def _unchanged(spec: dict) -> pl.Expr | None:
    """Return an expression true for the cells of a field `_repair_cell` certainly leaves as they are (None: all)."""
    col = pl.col(spec["name"])
    if spec.get("mayBeUnstated"):
        rest = _unchanged({k: v for k, v in spec.items() if k != "mayBeUnstated"})
        certain = ~col.str.contains(PLACEHOLDER_HINT)
        return certain if rest is None else certain & rest
    kind = spec.get("type", "string")
    constraints = spec.get("constraints", {})
    empty = col == ""
    if kind == "number":
        return empty | col.str.contains(r"^-?(0|[1-9][0-9]*)\.[0-9]{2,}$")
    if kind == "integer":
        return empty | col.str.contains(r"^(0|-?[1-9][0-9]*)$")
    if kind == "date":
        # A valid date is written back the same; an invalid one is left for the schema check to report.
        return empty | col.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    if spec.get("partialDate"):
        return empty | col.str.contains(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    if "enum" in constraints:
        return empty | col.is_in([v for v in constraints["enum"] if isinstance(v, str)])
    if spec.get("filePaths"):
        return None  # never repaired
    if spec.get("separator"):
        item = spec["itemPattern"]
        return empty | col.str.contains(f"^(?:{item})(?:{spec['separator']}(?:{item}))*$") & \
            ~col.str.contains(r"(^|、)[0-9]+\.0+($|、)")
    if "pattern" in constraints:
        plain = col.str.contains(r"^[\x21-\x7e]+$") & ~col.str.contains(_POINT_ZERO) & \
            ~col.str.contains(_SCIENTIFIC_CODE)
        if constraints["pattern"] == CODE12:
            plain = plain & ~(col.str.contains(r"^[0-9]*$") & (col.str.len_chars() < 12))
        return empty | plain
    return None


_CHECKS: dict[int, tuple[list[dict], dict[str, pl.Expr]]] = {}


def _doubt_checks(fields: list[dict]) -> dict[str, pl.Expr]:
    """Return field name → `_unchanged` expression of the fields that have one (built once per schema)."""
    cached = _CHECKS.get(id(fields))
    if cached is None or cached[0] is not fields:
        checks = {f["name"]: expr for f in fields if (expr := _unchanged(f)) is not None}
        cached = _CHECKS[id(fields)] = (fields, checks)
    return cached[1]


def _read_plain(data: bytes, display: str, fields: list[dict], max_rows: int, out: Normalized) -> bool:
    """Read a file in the standard shape column by column into `out`; return False (out untouched) for any other."""
    if data.startswith(b"\xef\xbb\xbf") or any(c in data for c in (b"\r", b'"', b"\x00")):
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    names = [f["name"] for f in fields]
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if len(names) < 2 or not lines or lines[0] != ",".join(names) or len(lines) - 1 > max_rows:
        return False
    body = pl.DataFrame({"line": pl.Series(lines[1:], dtype=pl.String)})
    line = pl.col("line")
    shaped = (line.str.count_matches(",", literal=True) == len(names) - 1).all() & \
        line.str.contains(_NOT_BLANK).all()
    if len(body) and not body.select(shaped).item():
        return False
    if len(body):
        frame = body.select(line.str.split_exact(",", len(names) - 1).struct.rename_fields(names)).unnest("line")
    else:
        frame = pl.DataFrame([pl.Series(name, [], dtype=pl.String) for name in names])
    specs = {f["name"]: f for f in fields}
    checks = _doubt_checks(fields)
    repaired: dict[str, dict[int, str]] = {}
    if checks and len(frame):
        doubts = [(~expr).alias(f"_d{n}") for n, (name, expr) in enumerate(checks.items())]
        flagged = frame.lazy().with_row_index("_i").with_columns(doubts).filter(
            pl.any_horizontal(d.meta.output_name() for d in doubts)).collect()
        # Row by row, in the order the careful reading reports them.
        for row in flagged.iter_rows(named=True):
            i = row["_i"]
            for n, name in enumerate(checks):
                if row[f"_d{n}"]:
                    value = _repair_into(out, display, i + 2, name, row[name], specs[name])
                    if value != row[name]:
                        repaired.setdefault(name, {})[i] = value
    for name, values in repaired.items():
        frame = frame.with_columns(frame[name].scatter(list(values), list(values.values())))
    out.original = text
    out.frame = frame
    out.plain = True
    out.rows = list(range(2, len(frame) + 2))
    if repaired:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(frame.iter_rows())
        out.text = buffer.getvalue()
    else:
        out.text = text if text.endswith("\n") else text + "\n"
    return True


def _code_error(reason: str, value: str, path: str, row: int, name: str) -> Problem:
    shown = mask_numbers(value)[:40]
    if reason == "scientific":
        return error("code-mangled", path, row, name,
                     f"代码“{shown}”被表格软件显示成了科学计数法，后面的数字已经丢失，无法恢复。请把这一列设为“文本”格式，"
                     "重新输入完整的12位代码，再另存为 CSV UTF-8。",
                     f"The code {shown!r} was turned into scientific notation by the spreadsheet and lost digits. "
                     "Format the column as text and type the full 12-digit code again.")
    return error("code-mangled", path, row, name,
                 f"代码“{shown}”不足12位，可能被表格软件去掉了前面的数字或当成了数字。请把这一列设为“文本”格式，"
                 "重新输入完整的12位代码。",
                 f"The code {shown!r} has fewer than 12 digits; the spreadsheet may have dropped some. "
                 "Format the column as text and type the full code again.")
