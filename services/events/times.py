"""Times as the library's people read them: the branch's own zone, Asia/Jakarta
(WIB, UTC+7 all year). Stored as epoch seconds; shown in ISO 8601 with the offset."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")


def epoch_of(local: dt.datetime) -> float:
    """A naive local (WIB) time, or an aware one, as epoch seconds."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=WIB)
    return local.timestamp()


def local(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, WIB)


def iso_local(epoch: float | None) -> str | None:
    return None if epoch is None else local(epoch).isoformat()


def month_of(epoch: float) -> str:
    return local(epoch).strftime("%Y-%m")


def today() -> dt.date:
    return dt.datetime.now(WIB).date()
