"""Find personal ID numbers, personal mobile numbers and bank card numbers in free text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .text import fold_dashes

# A run of digits that people may have broken up with spaces or dashes (after NFKC, so full-width
# digits and dashes count too); an ID number may end in X.
_NUMBER_RUN = re.compile(r"(?<![0-9])(?:\+?86[ \-]?)?[0-9](?:[ \-]?[0-9])*(?:[ \-]?[Xx])?(?![0-9])")
_SEPARATORS = re.compile(r"[ \-+]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
BANK_WORDS = re.compile(r"(卡号|账号|帐号|账户|帐户|银行卡|开户行|银行|card|account)", re.IGNORECASE)
_PRIVATE_FINDINGS = ("id-number", "mobile", "bank-account")


def is_id_number(candidate: str) -> bool:
    """Tell whether 18 characters are a mainland resident ID number (structure, birth date, check digit)."""
    if len(candidate) != 18 or not candidate[:17].isdigit():
        return False
    last = candidate[17].upper()
    if not (last.isdigit() or last == "X"):
        return False
    if candidate[0] not in "12345678":
        return False
    try:
        born = dt.date(int(candidate[6:10]), int(candidate[10:12]), int(candidate[12:14]))
    except ValueError:
        return False
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return False
    total = sum(int(d) * w for d, w in zip(candidate[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == last


def is_mobile(digits: str) -> bool:
    """Tell whether digits are a mainland mobile number, with or without the 86 country code."""
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find_private_numbers(text: str) -> Iterator[tuple[str, str]]:
    """Yield (kind, number) for each ID number, mobile number or bank account number in text."""
    text = fold_dashes(text)
    for match in _NUMBER_RUN.finditer(text):
        raw = match.group(0)
        compact = _SEPARATORS.sub("", raw)
        if is_id_number(compact):
            yield "id-number", compact
            continue
        digits = compact.rstrip("Xx")
        if digits != compact:
            continue
        if is_mobile(digits):
            yield "mobile", digits
            continue
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and digits[0] in "3456789":
            yield "bank-account", digits
            continue
        before = text[max(0, match.start() - 8):match.start()]
        if 10 <= len(digits) <= 25 and BANK_WORDS.search(before):
            yield "bank-account", digits


def mask_numbers(text: str) -> str:
    """Return text with every private number hidden, for echoing a cell back in a message."""
    found = list(find_private_numbers(text))
    if not found:
        return text
    masked = fold_dashes(text)
    for _kind, number in found:
        masked = re.sub(r"[ \-]?".join(re.escape(c) for c in number), "*" * len(number), masked)
    return masked
