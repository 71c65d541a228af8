"""Scan every cell of every table for personal numbers that must never be published, and unmasked names."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator

import polars as pl

from ..package.read import resolve_header
from ..personal import BANK_WORDS, find_private_numbers
from ..problems import Problem, error
from ..text import DASH_CLASS, DASHES

MESSAGES = {
    "id-number": (
        "id-number-published",
        "「{title}」（{field}）列中有身份证号码（已在此处隐去）。身份证号码绝不能公开：请删除它；"
        "需要区分农户时用户编号或脱敏姓名（如 张*三）。",
        "Column {field} contains a personal ID number (hidden here). ID numbers must never be published: "
        "delete it.",
    ),
    "mobile": (
        "phone-number-published",
        "「{title}」（{field}）列中有个人手机号码（已在此处隐去）。个人手机号不能公开：请删除，"
        "或改为单位的办公电话（写在 units.csv 的 phone 列）。",
        "Column {field} contains a personal mobile number (hidden here). Delete it, or use the unit's office "
        "phone in units.csv.",
    ),
    "bank-account": (
        "bank-account-published",
        "「{title}」（{field}）列中有银行卡号或账号（已在此处隐去）。银行账号不能公开：请删除它。",
        "Column {field} contains a bank card or account number (hidden here). It must never be published: "
        "delete it.",
    ),
}
# A masked name keeps the surname and hides at least one character: 张*三, 李*, 欧阳**.
MASKED_NAME = re.compile(r"[\u4e00-\u9fff]{1,2}[*＊×]+[\u4e00-\u9fff*＊×]*")


def _is_free_text(field: dict) -> bool:
    constraints = field.get("constraints", {})
    return field.get("type", "string") == "string" and "pattern" not in constraints and "enum" not in constraints


def privacy_problems(text: str, fields: list[dict], path: str) -> Iterator[Problem]:
    """Yield a problem for each cell (or run of a row's free-text cells) holding a private number or an unmasked name."""
    specs = {f["name"]: f for f in fields}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    names = [resolve_header(h, fields) for h in header]
    for row, cells in enumerate(reader, start=2):
        yield from _row_problems(row, cells, header, names, specs, path)


# Every private number is a run of at least 11 digits (an ID number, a mobile, a card number), or of 10 with a bank
# word before it; a run may be broken by single spaces or dashes. These find every such run, and a few more.
_RUN_11 = r"[0-9](?:[ \-]?[0-9]){10}"
_RUN_10 = r"[0-9](?:[ \-]?[0-9]){9}"
_BANK_WORD = "(?i)" + BANK_WORDS.pattern


def _inert(c: str) -> bool:
    """True for a character that folding leaves as characters that cannot start, join or break a run of digits."""
    folded = unicodedata.normalize("NFKC", c)
    return (unicodedata.combining(c) == 0 and bool(folded) and c not in DASHES
            and not any(ch.isascii() and (ch.isalnum() or ch in " -") or "\u4e00" <= ch <= "\u9fff" for ch in folded))


# Text of only these characters (ASCII, common Chinese, and punctuation that folds to nothing that matters here)
# holds the same runs of digits and bank words folded or not, so only other text is folded before it is searched.
_PLAIN_TEXT = "^[\\x00-\\x7f\\u4e00-\\u9fff" + "".join(
    f"\\u{{{ord(c):x}}}" for block in ((0xa0, 0x100), (0x2000, 0x2070), (0x2190, 0x2400), (0x3000, 0x3040),
                                         (0xff00, 0xfff0))
    for c in map(chr, range(*block)) if _inert(c)) + "]*$"


def _suspect(text: pl.Expr) -> pl.Expr:
    return text.str.contains(_RUN_11) | (text.str.contains(_RUN_10) & text.str.contains(_BANK_WORD))


def frame_privacy_problems(frame: pl.DataFrame, fields: list[dict], path: str) -> Iterator[Problem]:
    """Yield what `privacy_problems` yields for a table read in the standard shape (header = field names).

    Only the rows that can hold a finding are scanned, the same way: a run of digits long enough for a private
    number in one scanned cell or across the row's free text, or a name that is not plainly masked.
    """
    specs = {f["name"]: f for f in fields}
    names = [f["name"] for f in fields]
    scanned = [f for f in fields if not _skipped(f)]
    if not scanned or not len(frame):
        return
    # Free-text cells are scanned in pairs too; a number in any pair is a run in the row's free text joined up.
    # Other scanned cells are joined with a bar, which no run crosses.
    groups = [([f for f in scanned if _is_free_text(f)], ""), ([f for f in scanned if not _is_free_text(f)], "|")]
    texts = [pl.concat_str([pl.col(f["name"]) for f in group], separator=separator).alias(f"_t{n}")
             for n, (group, separator) in enumerate(groups) if group]
    columns = [t.meta.output_name() for t in texts]
    masked = [(pl.col(f["name"]) != "") & ~pl.col(f["name"]).str.contains(f"^(?:{MASKED_NAME.pattern})$")
              for f in scanned if f.get("maskedName")]
    plain = pl.all_horizontal(pl.col(c).str.contains(_PLAIN_TEXT) for c in columns)
    candidates = (frame.lazy().with_row_index("_i").with_columns(texts).with_columns(plain.alias("_plain"))
                  .filter(pl.any_horizontal(*masked, ~pl.col("_plain"), *(_suspect(pl.col(c)) for c in columns)))
                  .with_columns(pl.col(c).str.normalize("NFKC").str.replace_all(DASH_CLASS, "-") for c in columns)
                  .filter(pl.any_horizontal(*masked, *(_suspect(pl.col(c)) for c in columns)))
                  .select("_i", *names).collect())
    for values in candidates.iter_rows():
        yield from _row_problems(values[0] + 2, list(values[1:]), names, names, specs, path)


def _skipped(field: dict) -> bool:
    """Typed columns are checked by the schema; a 12-digit code cannot hold a personal number."""
    return field.get("type", "string") != "string" or field.get("constraints", {}).get("pattern") == "[0-9]{12}"


def _row_problems(row: int, cells: list[str], header: list[str], names: list[str | None], specs: dict[str, dict],
                  path: str) -> Iterator[Problem]:
    found_in_cells = set()
    free_text = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        name = names[i] if i < len(names) else None
        # An unknown column is treated as free text: whatever its header, it may hold a leak.
        field = specs.get(name, {}) if name else {}
        label = name or (header[i] if i < len(header) else f"第{i + 1}列")
        if name and _skipped(field):
            continue
        if field.get("maskedName") and not MASKED_NAME.fullmatch(cell.strip()):
            yield error("unmasked-name", path, row, label,
                        f"「{field.get('title', label)}」（{label}）中的姓名没有脱敏。请保留姓、隐去至少一个字，如 张*三、李*。",
                        f"The name in column {label} is not masked; keep the surname and hide at least one "
                        "character, e.g. 张*三.")
        seen = set()
        for kind, number in find_private_numbers(cell):
            found_in_cells.add(number)
            if (kind == "mobile" and field.get("publicContact")) or kind in seen:
                continue
            seen.add(kind)
            yield _leak(kind, path, row, label, field.get("title", label))
        if not name or _is_free_text(field):
            free_text.append((label, field.get("title", label), cell))
    # A number split across two free-text cells of one row (a name and a note) is a leak too.
    for (label_a, title_a, a), (label_b, title_b, b) in zip(free_text, free_text[1:], strict=False):
        for kind, number in find_private_numbers(a + b):
            if number not in found_in_cells:
                found_in_cells.add(number)
                yield _leak(kind, path, row, f"{label_a}+{label_b}", f"{title_a}＋{title_b}")


def _leak(kind: str, path: str, row: int, label: str, title: str) -> Problem:
    code, zh, en = MESSAGES[kind]
    return error(code, path, row, label, zh.format(title=title, field=label), en.format(field=label))
