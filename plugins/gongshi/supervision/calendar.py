"""Working days on the State Council's calendar: official holidays and the weekend days worked in their place (调休).

Deadlines in the rules are counted as the Civil Code counts a period (Art. 201): the day of the event is not
counted, the next working day is day 1. `chinesecalendar` knows every year the State Council has announced; a year
it does not know is never guessed (Monday to Friday would be wrong by about five days around Spring Festival and
National Day): a deadline that falls in it cannot be judged, unless the settings declare that year's holidays and
make-up working days (`GONGSHI["supervision"]["calendar"]`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

MAX_SPAN = 4000  # days searched for a deadline: a threshold is at most a few hundred working days


class WorkCalendar:
    """The working days of the official calendar, with the years the settings add: {"2027": {"holidays": [...],
    "workdays": [...]}} declares 2027: Monday to Friday work except its holidays, weekends off except its
    make-up working days."""

    def __init__(self, years: dict | None = None):
        self.years: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
        for year, days in (years or {}).items():
            holidays = frozenset(dt.date.fromisoformat(str(d)) for d in days.get("holidays", ()))
            workdays = frozenset(dt.date.fromisoformat(str(d)) for d in days.get("workdays", ()))
            self.years[int(year)] = (holidays, workdays)

    def is_workday(self, day: dt.date) -> bool | None:
        """True or False; None for a day of a year neither the official calendar nor the settings know."""
        if day.year in self.years:
            holidays, workdays = self.years[day.year]
            if day in workdays:
                return True
            return day.weekday() < 5 and day not in holidays
        return _official(day)

    def add(self, start: dt.date, count: int) -> dt.date | None:
        """The count-th working day after start (start itself not counted); None when a day on the way is of a year
        the calendar does not know."""
        day, found = start, 0
        for _ in range(MAX_SPAN):
            if found >= count:
                return day
            day += dt.timedelta(days=1)
            working = self.is_workday(day)
            if working is None:
                return None
            found += working
        return None

    def between(self, start: dt.date, end: dt.date) -> int | None:
        """The working days after start up to and including end (0 when end is not after start); None when a day
        between is of an unknown year."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            working = self.is_workday(day)
            if working is None:
                return None
            count += working
        return count

    def known(self, year: int) -> bool:
        return year in self.years or _official(dt.date(year, 6, 1)) is not None


@lru_cache(maxsize=16384)
def _official(day: dt.date) -> bool | None:
    import chinese_calendar

    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
