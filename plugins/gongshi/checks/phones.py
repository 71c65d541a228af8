"""Warn about public phone numbers that cannot be dialled: no area code, too few digits, stray text.

The columns checked are the schema fields marked `"publicContact": true` (a region's 监督电话, a unit's 办公电话), so
a phone field added to a schema later is checked too. A cell may hold several numbers (separated by 、，,;；/ or 或),
each with an optional label before a colon (县纪委：0838-5200012) or a note in brackets after it. Accepted numbers:

- a landline, area code and local number: 0838-5200012, 0838 5200012, (0838)5200012, 08385200012, 028-86833668,
  with an optional extension (-8001, 转8001, ext. 8001); 010 and 020-029 take 8-digit local numbers, the other
  (four-character) area codes 7 or 8 digits; a local number never starts with 0 or 1;
- a 400/800 number of 10 digits (400-123-4567);
- a service number: 110, 12317, 12345, 95598, 963888 (1xx, 12xxx, 95xxx(x), 96xxx(x)), also after its area code
  as notices print a local hotline for mobiles (0838-12388, 0731-96333);
- a mainland mobile, 11 digits (+86 allowed): these are public contacts, which may be a mobile.

Full-width digits and brackets, and the dashes people type (－ — ‐ −), read as their ASCII forms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import polars as pl

from ..problems import Problem, warning
from ..text import fold_dashes

CODE = "phone-invalid"

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SPECIAL = re.compile(r"[48]00[0-9]{7}")
_SERVICE = re.compile(r"1[0-9]{2}|12[0-9]{3}|9[56][0-9]{3,4}")
_LANDLINE = re.compile(r"0(?:10|2[0-9])[2-9][0-9]{7}|0[3-9][0-9]{2}[2-9][0-9]{6,7}")
_AREA = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})")
# A local service number after its area code, as notices print hotlines to be dialled from a mobile: 0838-12388.
_LOCAL_SERVICE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})(?:12[0-9]{3}|9[56][0-9]{3,4})")
# Cells in this shape are certainly right and are not looked at one by one (the common case, checked by polars).
_PLAINLY_RIGHT = (r"^(?:0(?:10|2[0-9])-[2-9][0-9]{7}|0[3-9][0-9]{2}-[2-9][0-9]{6,7}|1[3-9][0-9]{9}|12[0-9]{3}"
                  r"|1[0-9]{2})$")
_AREA_OF_PLAIN = r"^\(?(0(?:10|2[0-9]|[3-9][0-9]{2}))\)?[ -]?[2-9][0-9]{6,7}$"

_SEPARATORS = re.compile(r"[、,;/\n]|或者?")
_EXTENSION = re.compile(r"(?i)\s*(?:转|分机|ext\.?|x)\s*([0-9]{1,6})$")
_INTERNATIONAL = re.compile(r"^\(?(?:\+|00)86\)?[\s-]*")
_BRACKETED_AREA = re.compile(r"^\(([0-9]+)\)[\s-]*")
_TRAILING_BRACKETS = re.compile(r"(.*\S)\s*\(([^()]*)\)")
_LEADING_TEXT = re.compile(r"([^0-9\s()+-]+?)\s*([0-9(+].*)")
_STRAY = re.compile(r"[^0-9\s-]+")  # after a leading (area code), brackets are stray too
_PLACEHOLDERS = {"无", "暂无", "没有", "空", "-", "--", "/", "无电话", "n/a", "na", "none", "null"}
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "i": "1"})


@dataclass(frozen=True)
class PhoneIssue:
    """What is wrong with a phone cell: a short kind (for tests) and the sentence to show, in Chinese and English."""

    kind: str
    message: str
    message_en: str


@dataclass(frozen=True)
class _Fault:
    kind: str
    zh: str
    en: str


def dialable(digits: str) -> bool:
    """True for a whole number of digits that can be dialled as it is, from anywhere in mainland China."""
    return any(p.fullmatch(digits) for p in (_LANDLINE, _MOBILE, _SPECIAL, _SERVICE, _LOCAL_SERVICE))


def check_phone(value: str, area: str | None = None, title: str = "电话") -> PhoneIssue | None:
    """Return what is wrong with one phone cell, or None when every number in it can be dialled.

    `area` is the area code the package's other numbers use, offered in the fix for a number without one.
    """
    return _check_cell(value, area, title)


@lru_cache(maxsize=8192)
def _check_cell(value: str, area: str | None, title: str) -> PhoneIssue | None:
    text = fold_dashes(value).strip()
    if not text:
        return None
    if text.lower() in _PLACEHOLDERS:
        return PhoneIssue("placeholder", f"{title}填的是「{_shown(value)}」：没有电话时请留空，不要填“无”“/”。",
                          f"{value.strip()!r} is not a phone number: leave the cell empty when there is none.")
    numbers = [checked for part in _SEPARATORS.split(text) for n in _split_part(part)
               for checked in _check_number(n, area)]
    if not numbers:
        return PhoneIssue("no-number", f"{title}「{_shown(value)}」里没有号码：请填号码，或留空。",
                          f"{value.strip()!r} holds no phone number: write one or leave the cell empty.")
    faults = [(n, f) for n, f in numbers if f is not None]
    if not faults:
        return None
    number, fault = faults[0]
    if len(numbers) > 1:
        which = f"{title}中的第{numbers.index(faults[0]) + 1}个号码「{_shown(number)}」"
        which_en = f"Number {numbers.index(faults[0]) + 1} of the cell, {_shown(number)!r},"
    else:
        which, which_en = f"{title}「{_shown(number)}」", f"Phone {_shown(number)!r}"
    more = f"（另有 {len(faults) - 1} 个号码也有问题）" if len(faults) > 1 else ""
    more_en = f" ({len(faults) - 1} more number(s) in the cell are wrong too.)" if len(faults) > 1 else ""
    return PhoneIssue(fault.kind, f"{which}{fault.zh}。{more}", f"{which_en} {fault.en}.{more_en}")


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 30 else text[:29] + "…"


def _split_part(part: str) -> list[str]:
    """Return the numbers of one part of a cell: a label before a colon and a note in brackets are dropped."""
    part = part.strip()
    if not part:
        return []
    label, colon, rest = part.partition(":")
    if colon and label.strip() and len(label) <= 20 and not re.search(r"[0-9]", label):
        part = rest.strip()
        if not part:
            return [f"{label}:"]
    if (m := _TRAILING_BRACKETS.fullmatch(part)) and re.search(r"[0-9]", m.group(1)):
        inner = m.group(2).strip()
        if not re.search(r"[0-9]", inner):
            return [m.group(1).strip()]  # 12317（国家乡村振兴局）: a note after the number
        if len(re.sub(r"[^0-9]", "", inner)) >= 7:
            return [m.group(1).strip(), inner]  # 963888(0712-7222729): a second number for the same line
        if re.fullmatch(r"[0-9]{1,6}", inner):
            return [m.group(1).strip()]  # 0838-5200012(8001): an extension
    return [part]


def _check_number(text: str, area: str | None) -> list[tuple[str, _Fault | None]]:
    """Check one number, or the numbers written one after another with only spaces between them."""
    if re.fullmatch(r"[^0-9]*:", text):
        return [(text, _Fault("no-number", "冒号后面没有号码：请在冒号后面写号码", "has no number after the colon"))]
    whole = _check_one(text, area)
    tokens = text.split()
    if whole is None or len(tokens) == 1 or len(tokens) > 8:
        return [(text, whole)]
    # "0916-7212103 0916-7212381": read the tokens in the groups that make the most right numbers (the fewest
    # groups on a tie); when no grouping makes any right number, the text is one wrong number.
    best_right, best_groups = 0, [text]
    for k in range(1, len(tokens)):
        for cuts in combinations(range(1, len(tokens)), k):
            bounds = (0, *cuts, len(tokens))
            groups = [" ".join(tokens[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
            right = sum(1 for g in groups if _check_one(g, area) is None)
            if right > best_right:
                best_right, best_groups = right, groups
    return [(g, _check_one(g, area)) for g in best_groups]


@lru_cache(maxsize=8192)
def _check_one(text: str, area: str | None) -> _Fault | None:
    extension = _EXTENSION.search(text)
    if extension and re.search(r"[0-9]", text[:extension.start()]):
        text = text[:extension.start()]
    international = _INTERNATIONAL.match(text)
    if international:
        text = text[international.end():]
    groups: list[str] = []
    if bracketed := _BRACKETED_AREA.match(text):
        groups.append(bracketed.group(1))
        text = text[bracketed.end():]
    if _STRAY.search(text):
        return _stray(text, area)
    groups += [g for g in re.split(r"[\s-]+", text) if g]
    digits = "".join(groups)
    if not digits:
        return _Fault("text", "里没有号码：请填号码，如 0838-5200012", "holds no number: write one, e.g. 0838-5200012")
    if international:
        if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch("0" + digits) or _LANDLINE.fullmatch(digits):
            return None
        if not digits.startswith(("0", "1")):
            return _diagnose(["0" + groups[0], *groups[1:]], area)
    if dialable(digits) or (digits.startswith("86") and _MOBILE.fullmatch(digits[2:])):
        return None
    if len(groups) >= 3 and len(groups[-1]) <= 6 and _LANDLINE.fullmatch("".join(groups[:-1])):
        return None  # 0838-5200012-8001: an extension after a dash
    return _diagnose(groups, area)


def _stray(text: str, area: str | None) -> _Fault:
    """Explain text that is not part of a phone number."""
    lookalike = text.translate(_LOOKALIKES)
    if lookalike != text and not _STRAY.search(lookalike) and _check_one(lookalike, area) is None:
        letters = "、".join(sorted({c for c in text if c in "OoIil〇"}))
        return _Fault("letter", f"中有字母「{letters}」：号码只能写数字（字母 O 应为 0，l 应为 1）",
                      f"has the letter(s) {letters}: a phone number has digits only (O is 0, l is 1)")
    if (m := _LEADING_TEXT.fullmatch(text)) and _check_one(m.group(2), area) is None:
        label = m.group(1).strip()
        return _Fault("text", f"前面的文字「{label}」后要加冒号，写成 {label}：{m.group(2)}；或者只填号码",
                      f"has text before the number: put a colon after it ({label}：{m.group(2)}) or write the "
                      "number only")
    stray = _STRAY.search(text)
    shown = stray.group(0)[:10] if stray else text[:10]
    if stray and re.search(r"[A-Za-z]", stray.group(0)):
        return _Fault("text", f"中有字母「{shown}」：电话列只填数字号码，如 0838-5200012",
                      f"has letters ({shown}): write the number in digits only, e.g. 0838-5200012")
    return _Fault("text", f"中有多余的文字「{shown}」：电话列只填号码，如 0838-5200012；要注明单位时写成 县纪委：0838-5200012",
                  f"has stray text ({shown}): write the number only, e.g. 0838-5200012, or a label and a colon "
                  "before it (县纪委：0838-5200012)")


def _diagnose(groups: list[str], area: str | None) -> _Fault:
    """Say why a number of digits (as the clerk grouped them) cannot be dialled."""
    digits = "".join(groups)
    n = len(digits)
    if not digits.startswith("0") and _LANDLINE.fullmatch("0" + digits):
        fixed = _formatted("0" + digits)
        return _Fault("no-zero", f"开头少了 0：应为 {fixed}（表格软件会去掉开头的 0，请把电话列设成文本格式）",
                      f"has lost its leading 0: it is {fixed} (set the column to text so the 0 stays)")
    if digits[:3] in ("400", "800") and (n in (9, 11) or (len(groups) > 1 and groups[0] in ("400", "800"))):
        return _Fault("special-digits", f"位数不对：{digits[:3]} 号码是 10 位数字，如 {digits[:3]}-123-4567，这里是 {n} 位",
                      f"has {n} digits: a {digits[:3]} number has 10, e.g. {digits[:3]}-123-4567")
    if re.match(r"1[3-9]", digits) and 8 <= n <= 13:
        return _Fault("mobile-digits", f"位数不对：手机号码是 11 位数字，这里是 {n} 位；请核对号码",
                      f"has {n} digits: a mobile number has 11; check it")
    if digits.startswith("0"):
        return _diagnose_landline(groups, digits)
    if digits[0] in "23456789" and n in (7, 8):
        where = f"如 {area}-{digits}" if area else f"写成 区号-{digits}，如 0838-5200012"
        where_en = f"e.g. {area}-{digits}" if area else f"as <area code>-{digits}, e.g. 0838-5200012"
        return _Fault("no-area", f"缺少区号：座机号码前要加区号，{where}",
                      f"has no area code: write the area code before a landline number, {where_en}")
    if n < 7:
        return _Fault("too-short", f"只有 {n} 位数字，不是完整的电话号码：座机写成 区号-号码，如 0838-5200012",
                      f"has only {n} digits, not a whole phone number: write a landline as area code-number, "
                      "e.g. 0838-5200012")
    return _Fault("digit-count", f"位数不对（{n} 位数字）：座机写成 区号-号码，如 0838-5200012；手机号码是 11 位",
                  f"has {n} digits, which fits no phone number: write a landline as area code-number, "
                  "e.g. 0838-5200012; a mobile has 11 digits")


def _diagnose_landline(groups: list[str], digits: str) -> _Fault:
    if len(groups) > 1 and groups[0].startswith("0"):
        area, local = groups[0], "".join(groups[1:])  # as the clerk wrote it: 0879-621397
    elif digits[1:3] == "10" or digits[1:2] == "2":
        area, local = digits[:3], digits[3:]
    else:
        area, local = digits[:4], digits[4:]
    if not _AREA.fullmatch(area):
        shown = area if len(area) <= 5 else area[:5] + "…"
        return _Fault("area", f"区号「{shown}」不对：区号是 0 加 2～3 位数字（010、020～029 是 0 加 2 位，其他如 0838），"
                      "后面再写号码，如 0838-5200012",
                      f"has a malformed area code ({shown}): an area code is 0 and 2-3 digits (010, 020-029, or "
                      "like 0838), then the number, e.g. 0838-5200012")
    if not local:
        return _Fault("too-short", f"只有区号 {area}，缺少号码：写成 {area}-号码", f"has only the area code {area}: add the number")
    lengths, lengths_en = ("8", "8") if len(area) == 3 else ("7～8", "7-8")
    if local[0] in "01":
        return _Fault("local-start", f"区号 {area} 后面的号码不能以 {local[0]} 开头：请核对号码",
                      f"has a number after area code {area} that starts with {local[0]}, which no local number does; "
                      "check it")
    if len(local) < (8 if len(area) == 3 else 7):
        return _Fault("local-short", f"号码太短：区号 {area} 后面的号码应有 {lengths} 位，这里只有 {len(local)} 位；请核对号码",
                      f"is too short: after area code {area} the number has {lengths_en} digits, here "
                      f"{len(local)}; check it")
    return _Fault("local-long", f"号码太长：区号 {area} 后面的号码应有 {lengths} 位，这里有 {len(local)} 位；"
                  "请核对号码，分机号用 - 或“转”隔开，如 0838-5200012-8001",
                  f"is too long: after area code {area} the number has {lengths_en} digits, here {len(local)}; "
                  "check it, and put a dash or 转 before an extension, e.g. 0838-5200012-8001")


def _formatted(landline: str) -> str:
    cut = 3 if landline[1] in "12" else 4
    return f"{landline[:cut]}-{landline[cut:]}"


def public_contact_fields(schemas, name: str) -> list[dict]:
    """The fields of a resource that hold public contact numbers."""
    return [f for f in schemas.fields(name) if f.get("publicContact")]


def phone_problems(tables: Mapping, path, schemas) -> Iterator[Problem]:
    """Yield a phone-invalid warning for each public phone cell that cannot be dialled.

    `tables` maps resource names to canonical frames (one string column per field; frame row i is spreadsheet row
    i + 2) or to read tables with `.frame` and `.rows` (the spreadsheet row of each frame row).
    """
    columns = []
    for name, table in tables.items():
        frame, rows = (table, None) if isinstance(table, pl.DataFrame) else (table.frame, table.rows)
        if frame is None or not len(frame):
            continue
        for field in public_contact_fields(schemas, name):
            if field["name"] in frame.columns:
                columns.append((name, field, frame, rows))
    found = []
    for name, field, frame, rows in columns:
        col = pl.col(field["name"]).cast(pl.Utf8)
        odd = (frame.lazy().with_row_index("_i")
               .filter(col.is_not_null() & (col != "") & ~col.str.contains(_PLAINLY_RIGHT))
               .select("_i", col).collect())
        title = field.get("title", field["name"])
        for i, value in odd.iter_rows():
            if _check_cell(value, None, title) is not None:
                found.append((name, field, rows[i] if rows else i + 2, value, title))
    if not found:
        return
    area = _usual_area(columns)
    for name, field, row, value, title in found:
        issue = _check_cell(value, area, title)
        yield warning(CODE, path(name), row, field["name"], issue.message, issue.message_en)


def _usual_area(columns) -> str | None:
    """The area code most of the package's landlines use, to suggest for a number without one."""
    counts: Counter[str] = Counter()
    for _, field, frame, _ in columns:
        areas = frame.select(pl.col(field["name"]).cast(pl.Utf8).str.extract(_AREA_OF_PLAIN, 1).drop_nulls())
        counts.update(areas.to_series().to_list())
    return counts.most_common(1)[0][0] if counts else None
