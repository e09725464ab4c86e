"""The NIP (Nomor Induk Pegawai), the 18-digit number of an Indonesian civil servant:
birth date YYYYMMDD, month of appointment YYYYMM, sex (1 man, 2 woman), and a
sequence number. Each part is checked on its own, so a mistyped NIP is refused
with the part that is wrong rather than as "invalid"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chassis.errors import field_error

ADULT_YEARS = 18  # appointed no younger than this


@dataclass(frozen=True)
class Nip:
    number: str
    born: dt.date
    appointed: tuple[int, int]  # (year, month)
    sex: int


def _refuse(reason: str, field: str):
    return field_error(field, reason)


def parse_nip(value: str, today: dt.date | None = None, field: str = "nip") -> Nip:
    """The NIP `value` spells (spaces ignored), or a field error saying which part
    of it is wrong."""
    today = today or dt.date.today()
    number = value.replace(" ", "") if isinstance(value, str) else ""
    if not (len(number) == 18 and number.isascii() and number.isdigit()):
        raise _refuse("A NIP is 18 digits.", field)
    try:
        born = dt.date(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    except ValueError:
        raise _refuse(f"Digits 1-8 ({number[:8]}) are no birth date (YYYYMMDD).", field) from None
    year, month = int(number[8:12]), int(number[12:14])
    if not 1 <= month <= 12:
        raise _refuse(f"Digits 9-14 ({number[8:14]}) are no month of appointment (YYYYMM).", field)
    if (year, month) > (today.year, today.month):
        raise _refuse(f"The appointment ({year}-{month:02d}) is in the future.", field)
    if (year, month) < (born.year + ADULT_YEARS, born.month):
        raise _refuse(
            f"The appointment ({year}-{month:02d}) is before the age of {ADULT_YEARS}.", field
        )
    if born > today:
        raise _refuse("The birth date is in the future.", field)
    if number[14] not in "12":
        raise _refuse(f"Digit 15 ({number[14]}) is the sex: 1 or 2.", field)
    if number[15:] == "000":
        raise _refuse("Digits 16-18 are a sequence number from 001.", field)
    return Nip(number, born, (year, month), int(number[14]))
