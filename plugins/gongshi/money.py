"""Money is Decimal yuan with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal(10000)
# The number fields that are not money (a score, a weight, a quantity); every other number field is yuan.
NOT_MONEY = {("assets", "quantity"), ("beneficiaries", "quantity"), ("evaluations", "score"), ("indicators", "weight"),
             ("indicators", "score")}


def is_money(table: str, spec: dict) -> bool:
    """Whether a field of a table's schema is an amount in yuan."""
    return spec.get("type") == "number" and (table, spec["name"]) not in NOT_MONEY


def cents(value: Decimal | int) -> Decimal:
    """The amount to the fen, as every page and file shows it (half a fen up: 10000.005 is 10000.01)."""
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def fen(value: Decimal | int) -> int:
    """The amount in whole fen, as the databases add it up."""
    return int(cents(value) * 100)


def yuan(value: Decimal | int | None) -> str:
    """Format yuan with thousands separators: 1,234,567.50 元."""
    if value is None:
        return ""
    return f"{amount(value)} 元"


def amount(value: Decimal | int | None) -> str:
    """Format yuan without the unit, for a column headed 金额（元）: 1,234,567.50."""
    if value is None:
        return ""
    return f"{cents(value):,}"


def wan(value: Decimal | int | None) -> str:
    """Format an amount in 万元 with two decimals: 123.46 万元."""
    if value is None:
        return ""
    return f"{(Decimal(value) / WAN).quantize(CENT, ROUND_HALF_UP):,} 万元"
