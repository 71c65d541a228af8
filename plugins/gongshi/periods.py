"""How long a notice was posted, counted as the county's notices count it.

Counties write a period as 2023年8月14日至8月23日 "共10个自然日": both days counted. Some count the days after the
first (as the Civil Code counts a period), some count working days. Each county says which in its package
(`gongshi.notice_days`); the check and the pages then give the same number the notice states.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

INCLUSIVE = "natural-days-inclusive"
AFTER_START = "days-after-start"
WORKING = "working-days"
COUNTINGS = {INCLUSIVE: ("个自然日", "calendar days, both ends counted"),
             AFTER_START: ("天（首日不计）", "days after the first"),
             WORKING: ("个工作日", "working days")}
DEFAULT = INCLUSIVE


def count_days(start: dt.date | None, end: dt.date | None, counting: str = DEFAULT) -> int | None:
    """The length of the period start..end as `counting` counts it; None when it cannot be counted (a date not
    stated, or working days in a year whose official calendar is not yet known)."""
    if start is None or end is None or end < start:
        return None
    if counting == AFTER_START:
        return (end - start).days
    if counting == WORKING:
        try:
            return sum(1 for n in range((end - start).days + 1) if _workday(start + dt.timedelta(days=n)))
        except NotImplementedError:
            return None
    return (end - start).days + 1


@lru_cache(maxsize=8192)
def _workday(day: dt.date) -> bool:
    """A working day on the State Council's calendar (holidays and make-up days); NotImplementedError for a year it
    does not cover yet, which is never guessed."""
    import chinese_calendar

    return chinese_calendar.is_workday(day)


def unit(counting: str) -> str:
    """How the pages name the number: 个自然日, 个工作日 ..."""
    return COUNTINGS.get(counting, COUNTINGS[DEFAULT])[0]
