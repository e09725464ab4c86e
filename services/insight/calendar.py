"""Days and months as the library counts them: in its own zone, Asia/Jakarta (WIB,
UTC+7 all year). A visit's day, a figure's month and "the future" are all WIB's."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def today(now: float | None = None) -> dt.date:
    return dt.datetime.fromtimestamp(time.time() if now is None else now, WIB).date()


def month_of(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, WIB).strftime("%Y-%m")


def month_of_time(when: dt.datetime | str) -> str:
    """The WIB month of an aware datetime or an ISO 8601 time (an event's `time`)."""
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    return when.astimezone(WIB).strftime("%Y-%m")


def month_of_day(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def months(start: str, end: str) -> list[str]:
    """Every month from `start` to `end` (YYYY-MM), both included."""
    year, month = map(int, start.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def first_day(month: str) -> dt.date:
    return dt.date.fromisoformat(month + "-01")


def last_day(month: str) -> dt.date:
    year, number = map(int, month.split("-"))
    return dt.date(year + (number == 12), number % 12 + 1, 1) - dt.timedelta(days=1)
