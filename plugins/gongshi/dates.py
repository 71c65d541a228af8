"""Dates as notices write them: a day (2023年3月5日), a month (2023年3月) or only a year (实施期限 2019年).

A field marked `"partialDate": true` in a schema takes 2019, 2019-03 or 2019-03-05. It is read as a `PartialDate`:
a `datetime.date` that remembers how precisely it was written. A start is its period's first day and an end its
last day (2019 as an end is 2019-12-31), so comparing them as dates compares them with their precision: a notice
dated 2020-05-27 is after a project whose 实施期限 is 2019, and a notice of 2019-06-01 is not. Pages show them
as written: 2019年, 2023年3月.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo

PATTERN = r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?"
CHINA = ZoneInfo("Asia/Shanghai")  # notice periods are days in China; a runner's clock is UTC


def china_today() -> dt.date:
    """The day it is in China now: the build day of a run."""
    return dt.datetime.now(CHINA).date()


def midnight(day: dt.date) -> dt.datetime:
    """The start of a day in China, for formats that want a time (Atom, RSS, OC4IDS)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


_FORM = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class PartialDate(dt.date):
    """A date written to the year, the month or the day (`precision`)."""

    precision: str

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: str = "day") -> PartialDate:
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def __reduce__(self):
        return (PartialDate, (self.year, self.month, self.day, self.precision))

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    @property
    def text(self) -> str:
        """As written in the table: 2019, 2019-03 or 2019-03-05."""
        return {"year": f"{self.year:04d}", "month": f"{self.year:04d}-{self.month:02d}"}.get(
            self.precision, self.isoformat())


def parse(text: str | None, end: bool = False) -> PartialDate | None:
    """Read 2019, 2019-03 or 2019-03-05; as the first day of its period, or the last (`end`). None if not a date."""
    match = _FORM.fullmatch(text or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return PartialDate(int(year), int(month), int(day), "day")
        if month:
            last = calendar.monthrange(int(year), int(month))[1]
            return PartialDate(int(year), int(month), last if end else 1, "month")
        return PartialDate(int(year), 12 if end else 1, 31 if end else 1, "year")
    except ValueError:
        return None


def as_written(day: dt.date | None) -> str | None:
    """A date as the table writes it: 2019, 2019-03 or 2019-03-05; None for none."""
    if day is None:
        return None
    return day.text if isinstance(day, PartialDate) else day.isoformat()


def zh(value: dt.date | None) -> str:
    """A date the Chinese way, as precisely as it was written: 2018年7月4日, 2023年3月, 2019年."""
    if value is None:
        return ""
    precision = getattr(value, "precision", "day")
    if precision == "year":
        return f"{value.year}年"
    if precision == "month":
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def zh_range(start: dt.date | None, end: dt.date | None) -> str | None:
    """A span written within one year or month, said once: 2019年 (not 2019年至2019年). None if it is not such."""
    if start is None or end is None:
        return None
    precision = getattr(start, "precision", "day")
    if precision != getattr(end, "precision", "day"):
        return None
    if precision == "year" and start.year == end.year:
        return zh(start)
    if precision == "month" and (start.year, start.month) == (end.year, end.month):
        return zh(start)
    return None


_REPAIR = re.compile(r"\s*([0-9]{4})\s*(?:年度?|[-/.])\s*(?:([0-9]{1,2})\s*(?:月份?|[-/.])?\s*(?:([0-9]{1,2})\s*日?)?)?\s*(?:底|末|初)?\s*")


def repair(value: str) -> str | None:
    """A date written by hand, read to its precision: 2019年 → 2019, 2023年3月 → 2023-03, 2023/3/5 → 2023-03-05."""
    text = value.strip()
    if re.fullmatch(r"[0-9]{4}", text):
        return text
    match = _REPAIR.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    if day and not month:
        return None
    out = year
    if month:
        if not 1 <= int(month) <= 12:
            return None
        out += f"-{int(month):02d}"
    if day:
        out += f"-{int(day):02d}"
    return out if parse(out) is not None else None


def first_day(value: dt.date | None) -> dt.date | None:
    """The first day of the period a date stands for (2019 → 2019-01-01, 2023-03 → 2023-03-01)."""
    if value is None:
        return None
    precision = getattr(value, "precision", "day")
    if precision == "year":
        return dt.date(value.year, 1, 1)
    if precision == "month":
        return dt.date(value.year, value.month, 1)
    return dt.date(value.year, value.month, value.day)
