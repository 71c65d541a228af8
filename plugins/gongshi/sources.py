"""The name of a fund as its notice would write it: from its kind, its level and its year, unless the notice names it.

China's main poverty fund changed its name in 2021: 财政专项扶贫资金 up to 2020, 财政衔接推进乡村振兴补助资金 from
2021 (the transition period's 衔接资金). A 2019 allocation is shown under its 2019 name. The kinds and levels are the
codes of allocations.fund_source and allocations.fund_level; central, provincial, city and county as a kind are the
older way of writing the main fund of that level.
"""

from __future__ import annotations

RENAMED = 2021  # the first year of 衔接资金

LEVELS = {"central": "中央", "provincial": "省级", "city": "市级", "county": "县级", "township": "乡镇"}

# Kinds paid from a level's budget: named "<level>财政<kind>" when the level is known.
KINDS = {
    "integrated": "统筹整合财政涉农资金",
    "leftover": "结余资金",
    "reward": "考核奖励资金",
    "ethnic": "少数民族发展资金",
    "work-relief": "以工代赈资金",
    "bond": "地方政府债券资金",
    "east-west": "东西部协作资金",
    "paired": "对口帮扶资金",
    "social": "社会帮扶资金",
    "self-raised": "群众自筹资金",
    "other": "其他资金",
}
FISCAL = {"leftover", "reward", "ethnic", "work-relief"}
LEGACY = {"central", "provincial", "city", "county"}  # the main fund of that level


def main_fund(year: int | None) -> str:
    """The main fund's name in a year: 财政专项扶贫资金 up to 2020, 财政衔接推进乡村振兴补助资金 from 2021."""
    return "财政专项扶贫资金" if year is not None and year < RENAMED else "财政衔接推进乡村振兴补助资金"


def level_of(kind: str, level: str | None) -> str | None:
    """The level of a fund: as stated, or the one an older code carries."""
    return level or (kind if kind in LEGACY else None)


def kind_of(kind: str) -> str:
    """The kind of a fund, an older code read as the main fund."""
    return "special-fund" if kind in LEGACY else kind


def source_name(kind: str, level: str | None, name: str | None, year: int | None) -> str:
    """The name shown for a fund: the notice's own name when given, else one made from kind, level and year."""
    if name:
        return name
    level, kind = level_of(kind, level), kind_of(kind)
    prefix = LEVELS.get(level, "") if level else ""
    if kind == "special-fund":
        return prefix + main_fund(year)
    label = KINDS.get(kind, kind)
    if prefix and kind in FISCAL:
        return f"{prefix}财政{label}"
    return prefix + label


_KIND_ORDER = {kind: i for i, kind in enumerate(["special-fund", *KINDS])}
_LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}


def order(kind: str, level: str | None, name: str) -> tuple:
    """Sort key of a fund: the main fund first, then the kinds in the order above; within a kind, central to local."""
    level, kind = level_of(kind, level), kind_of(kind)
    return (_KIND_ORDER.get(kind, len(_KIND_ORDER)), _LEVEL_ORDER.get(level, len(_LEVEL_ORDER)), name)
