"""Table Schema errors in our words: each with its code, row, column, and a Chinese message saying how to fix it.

Both schema engines report through `translate`: the column engine's `Finding`s (`checks/schema.py`) and
Frictionless' own errors (`checks/schema_reference.py`, the reference for what each check means), which carry the
same type, row, field, cell and note.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..codes import CODES
from ..personal import mask_numbers
from ..problems import Problem, error
from ..schemas import SchemaSet

# Frictionless 5 calls these "primary-key" and "foreign-key"; our contract keeps the "-error" suffix.
CODE_NAMES = {"primary-key": "primary-key-error", "foreign-key": "foreign-key-error"}
LIMIT_ERRORS = 10_000

TYPE_HINTS = {
    "integer": ("整数，如 2025", "a whole number, such as 2025"),
    "number": ("数字，不带千分位逗号、单位和空格，如 125000.00", "a plain number without separators or units, such as 125000.00"),
    "date": ("日期，格式为 年-月-日，如 2025-07-04", "a date as YYYY-MM-DD, such as 2025-07-04"),
}


@dataclass(frozen=True)
class Finding:
    """One error in Frictionless' terms: its type, canonical row number, field, cell text and note."""

    type: str
    row_number: int | None = None
    field_name: str | None = None
    cell: str | None = None
    note: str = ""
    message: str = ""


def _shown(cell: object) -> str:
    text = mask_numbers(str(cell if cell is not None else ""))
    return text if len(text) <= 40 else text[:40] + "…"


def _earlier_row(note: str) -> str:
    """Return the earlier row number named in a Frictionless duplicate note."""
    found = re.findall(r"[0-9]+", note)
    return found[-1] if found else "?"


def _constraint(note: str) -> tuple[str, object]:
    """Split Frictionless' note 'constraint "minimum" is "0"' into ("minimum", 0)."""
    parts = note.split('"')
    name = parts[1] if len(parts) > 1 else ""
    raw = parts[3] if len(parts) > 3 else ""
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        value = raw
    return name, value


def _field_words(schemas: SchemaSet, resource: str, name: str | None) -> tuple[str, str]:
    title = schemas.title(resource, name)
    return (f"「{title}」（{name}）列" if name else "这一行", f"column {name}" if name else "this row")


def _constraint_message(schemas, resource, field_name, cell, note) -> tuple[str, str]:
    col_zh, col_en = _field_words(schemas, resource, field_name)
    field = schemas.field(resource, field_name) or {}
    example = field.get("example")
    name, value = _constraint(note)
    shown = _shown(cell)
    if name == "required":
        return (f"{col_zh}不能为空。请填写{schemas.title(resource, field_name)}。",
                f"{col_en} must not be empty.")
    if name == "enum":
        labels = field.get("enumLabels", {})
        choices_zh = "、".join(f"{v}（{labels.get(v, v)}）" for v in value) if isinstance(value, list) else value
        choices_en = ", ".join(value) if isinstance(value, list) else value
        way_out = field.get("enumWayOut")
        out_zh = out_en = ""
        if way_out:  # none fits: the named "other"
            other, named = way_out["value"], way_out["field"]
            out_zh = (f"都不合适时填 {other}（{labels.get(other, other)}），并在「{schemas.title(resource, named)}」"
                      f"（{named}）列照原公告写名称。")
            out_en = f" If none fits, write {other} and give the name as the notice writes it in column {named}."
        return (f"{col_zh}的值“{shown}”不在可选范围内。只能填以下之一：{choices_zh}。{out_zh}",
                f"{col_en}: {shown!r} is not allowed; use one of: {choices_en}.{out_en}")
    if name == "minimum":
        return (f"{col_zh}的值“{shown}”小于 {value}。金额和数量不能为负数，请改正。",
                f"{col_en}: {shown!r} is below the minimum {value}.")
    if name == "maximum":
        return (f"{col_zh}的值“{shown}”大于 {value}，请改正。", f"{col_en}: {shown!r} is above the maximum {value}.")
    if name == "pattern":
        parts = [part for part in re.split(r"[、,，;；/\s]+", str(cell or "")) if part]
        if len(parts) > 1 and all(re.fullmatch(str(value), part) for part in parts):
            return (f"{col_zh}的值“{shown}”写了 {len(parts)} 个，一个格子只能填一个。",
                    f"{col_en}: {shown!r} holds {len(parts)} values; a cell takes one.")
        description = field.get("description", "").strip().rstrip("。.；;，,")
        hint = f"例如 {example}。" if example and str(example) not in description else ""
        return (f"{col_zh}的值“{shown}”格式不对。{description}。{hint}",
                f"{col_en}: {shown!r} does not have the required form (pattern {value})"
                + (f", e.g. {example}." if example else "."))
    if name in ("maxLength", "minLength"):
        return (f"{col_zh}的内容太长或太短（{'最多' if name == 'maxLength' else '至少'} {value} 个字），请精简。",
                f"{col_en}: the text must be {'at most' if name == 'maxLength' else 'at least'} {value} characters.")
    if name == "unique":
        return (f"{col_zh}的值“{shown}”与前面某一行重复，这一列每行都必须不同。",
                f"{col_en}: {shown!r} repeats an earlier row; values must be unique.")
    return (f"{col_zh}的值“{shown}”不符合约束 {name}={value}。", f"{col_en}: {shown!r} breaks the constraint {note}.")


def code_of(kind: str) -> str:
    """Our code for a Table Schema error type; one gongshi has no words of its own for is a data-error."""
    code = CODE_NAMES.get(kind, kind)
    return code if code in CODES else "data-error"


def translate(err, resource: str, path: str, schemas: SchemaSet) -> Problem:
    """Turn one Frictionless error into our Problem, with a Chinese message saying how to fix it."""
    code = code_of(err.type)
    row = getattr(err, "row_number", None)
    field_name = getattr(err, "field_name", None) or None
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    col_zh, col_en = _field_words(schemas, resource, field_name)
    if err.type == "type-error":
        type_ = (schemas.field(resource, field_name) or {}).get("type", "string")
        hint_zh, hint_en = TYPE_HINTS.get(type_, ("正确的格式", "the right format"))
        zh, en = (f"{col_zh}的值“{_shown(cell)}”不是有效的{hint_zh.split('，')[0]}。请填写{hint_zh}。",
                  f"{col_en}: {_shown(cell)!r} is not valid; write {hint_en}.")
    elif err.type == "constraint-error":
        zh, en = _constraint_message(schemas, resource, field_name, cell, note)
    elif err.type == "unique-error":
        zh, en = (f"{col_zh}的值“{_shown(cell)}”与第{_earlier_row(note)}行重复。"
                  "编号必须唯一，请改用一个新编号。",
                  f"{col_en}: {_shown(cell)!r} repeats an earlier row ({note}); ids must be unique.")
    elif err.type == "primary-key":
        keys = schemas.tables[resource].get("primaryKey", [])
        field_name = keys[0] if len(keys) == 1 else None
        titles = "＋".join(schemas.title(resource, k) for k in keys)
        zh, en = (f"这一行的 {titles} 与第{_earlier_row(note)}行重复，每行必须不同。"
                  "请删除重复的行或改正编号。",
                  f"The key ({', '.join(keys)}) of this row repeats an earlier row ({note}); delete or fix it.")
    elif err.type == "foreign-key":
        field_name, zh, en = _foreign_key_message(err, resource, schemas)
    elif err.type == "missing-cell":
        zh, en = (f"这一行的单元格比表头少，缺少{col_zh}。请补齐这一行（可以留空但不能少逗号）。",
                  f"This row has fewer cells than the header; {col_en} is missing.")
    elif err.type == "extra-cell":
        zh, en = (f"这一行的单元格比表头多（多出“{_shown(cell)}”）。请删除多余的内容，或检查内容中的英文逗号是否加了引号。",
                  f"This row has more cells than the header (extra {_shown(cell)!r}); remove it or quote commas.")
    elif err.type == "blank-row":
        zh, en = ("这是一个空行。请删除空行。", "This row is blank; delete it.")
    elif err.type in ("incorrect-label", "missing-label", "extra-label", "blank-label", "duplicate-label"):
        row = 1
        label = getattr(err, "label", "") or ""
        zh, en = _label_message(err.type, label, field_name, resource, schemas)
    elif err.type == "encoding-error":
        zh, en = ("文件不是 UTF-8 编码。请在表格软件中“另存为 CSV UTF-8（逗号分隔）”。",
                  f"The file is not UTF-8 ({note}); save it as 'CSV UTF-8'.")
    else:
        zh, en = (f"数据检查发现问题：{mask_numbers(note or err.message)}", mask_numbers(err.message))
    return error(code, path, row, field_name, zh, en)


def _label_message(kind, label, field_name, resource, schemas) -> tuple[str, str]:
    expected = [f["name"] for f in schemas.fields(resource)]
    order = "、".join(expected)
    if kind == "incorrect-label":
        return (f"表头“{label}”应为“{field_name}”（{schemas.title(resource, field_name)}）。表头必须是字段名，"
                f"顺序为：{order}。",
                f"Header {label!r} should be {field_name!r}; the header must be, in order: {', '.join(expected)}.")
    if kind == "missing-label":
        return (f"表头缺少“{field_name}”（{schemas.title(resource, field_name)}）列。表头顺序为：{order}。",
                f"The header lacks column {field_name!r}; it must be, in order: {', '.join(expected)}.")
    if kind == "extra-label":
        return (f"表头中多了一列“{label}”，不在表结构中。请删除这一列（包括最后多出的空列）。",
                f"Header {label!r} is not a field of this table; delete that column.")
    if kind == "duplicate-label":
        return (f"表头“{label}”重复出现。请删除重复的列。", f"Header {label!r} appears twice; delete one column.")
    return ("表头中有空白的列名。请删除空列。", "The header has a blank column name; delete that column.")


def _foreign_key_message(err, resource, schemas) -> tuple[str | None, str, str]:
    note = getattr(err, "note", "") or ""
    # note: for "unit_id": values "u9" not found in the lookup table "units" as "unit_id"
    parts = note.split('"')
    fields = parts[1] if len(parts) > 1 else ""
    value = parts[3] if len(parts) > 3 else ""
    target = parts[5] if len(parts) > 5 else ""
    field_name = fields.split(",")[0].strip() or None
    title = schemas.title(resource, field_name)
    table = schemas.tables.get(target, {}).get("title", target)
    return (field_name,
            f"「{title}」（{field_name}）的值“{_shown(value)}”在 {target}.csv（{table}）中找不到。"
            f"请先在 {target}.csv 中添加它，或改成已有的编号/代码。",
            f"{field_name}: {_shown(value)!r} is not found in {target}.csv; add it there or use an existing one.")
