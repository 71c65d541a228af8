"""图解: where a place's money went in a year, drawn at build time. Three bars: the funds it came from, the places
under it that received it, and the kinds of projects it pays for. Each bar is inline SVG (no script, nothing to
download) with its figures listed as text beside it, which is what a screen reader reads and a printed page keeps;
the figures are the ones the tables of the same page add up to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..model import ZERO, Region, subtotals_by_source

# Dark enough that a white page shows each apart; the eighth is "其他", the rest merged.
PALETTE = ("#b3261e", "#0b57a4", "#1b6e3a", "#8a5a00", "#6a1b9a", "#00696b", "#5d4037", "#757575")
MAX_PARTS = 7


@dataclass(frozen=True)
class Part:
    label: str
    amount: Decimal
    x: float  # where it starts on the bar, 0 to 1000
    width: float
    color: str

    @property
    def percent(self) -> str:
        return f"{self.width / 10:.1f}"


@dataclass(frozen=True)
class Bar:
    title: str
    parts: list[Part]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.parts), ZERO)


@dataclass(frozen=True)
class Picture:
    year: int
    bars: list[Bar]


def _bar(title: str, amounts: list[tuple[str, Decimal]]) -> Bar | None:
    amounts = sorted(((name, amount) for name, amount in amounts if amount > 0), key=lambda x: (-x[1], x[0]))
    if not amounts:
        return None
    if len(amounts) > MAX_PARTS + 1:
        amounts = amounts[:MAX_PARTS] + [("其他", sum((a for _, a in amounts[MAX_PARTS:]), ZERO))]
    total = sum((a for _, a in amounts), ZERO)
    parts, x = [], 0.0
    for i, (name, amount) in enumerate(amounts):
        width = float(amount / total) * 1000
        parts.append(Part(name, amount, round(x, 2), round(width, 2), PALETTE[i % len(PALETTE)]))
        x += width
    return Bar(title, parts)


def _under(region: Region) -> list[Region]:
    found, todo = [], [region]
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(node.children)
    return found


def money_picture(region: Region, category: Callable[[str], str], year: int | None = None) -> Picture | None:
    """The picture of a county or a township for a year (the latest with money or projects when None);
    `category` names a project category."""
    places = _under(region)
    allocations = [a for place in places for a in place.allocations]
    projects = list({p.project_id: p for place in places for p in place.projects if p.status != "cancelled"}.values())
    years = {a.year for a in allocations} | {p.year for p in projects}
    if not years:
        return None
    year = year if year is not None else max(years)
    allocations = [a for a in allocations if a.year == year]
    projects = [p for p in projects if p.year == year]
    by_source = _bar("资金来源", [(name, amount) for name, _, amount in subtotals_by_source(allocations, ordered=True)])
    received: dict[str, Decimal] = {}
    for a in allocations:
        place = _child_holding(region, a.recipient_region)
        name = place.name if place is not region else ("县本级" if region.level == "county" else "乡镇本级")
        received[name] = received.get(name, ZERO) + a.amount
    by_place = _bar("分配到", list(received.items()))
    kinds: dict[str, Decimal] = {}
    for p in projects:
        name = category(p.category)
        kinds[name] = kinds.get(name, ZERO) + p.budget
    by_kind = _bar("项目类别（按总投资）", list(kinds.items()))
    bars = [b for b in (by_source, by_place, by_kind) if b is not None]
    return Picture(year, bars) if bars else None


def _child_holding(region: Region, place: Region) -> Region:
    """The child of region that place is in (or region itself when place is region)."""
    node = place
    while node.parent is not None and node.parent is not region:
        node = node.parent
    return node if node.parent is region else region
