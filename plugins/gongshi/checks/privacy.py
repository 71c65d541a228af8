"""Scan every text cell of every table for personal numbers that must never be published."""

from __future__ import annotations

from collections.abc import Iterator

from ..load import CountyPackage
from ..privacy import find_private_numbers
from ..problems import Problem, error
from ..schemas import SchemaSet
from ..tables import read_raw_cells

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


def privacy_problems(package: CountyPackage, schemas: SchemaSet) -> Iterator[Problem]:
    """Yield a problem for each cell holding an ID, personal mobile or bank account number."""
    for resource, file in package.resources.items():
        fields = {f["name"]: f for f in schemas.fields(resource)}
        for row, header, cell in read_raw_cells(file):
            field = fields.get(header or "", {})
            # Numbers, dates and codes are typed and checked by the schema; free text is where leaks hide.
            if field.get("type", "string") != "string":
                continue
            public_contact = field.get("publicContact", False)
            seen = set()
            for kind, _number in find_private_numbers(cell):
                if (kind == "mobile" and public_contact) or kind in seen:
                    continue
                seen.add(kind)
                code, zh, en = MESSAGES[kind]
                title = field.get("title", header or "")
                yield error(code, package.display_path(resource), row, header,
                            zh.format(title=title, field=header), en.format(field=header))
