"""Reading a typed cell's text as what it means: text with its spaces collapsed, a key for
comparing labels typed in any way, amounts as typed in Swedish ("1 200 000 kr", "37 500,50",
"1 200 tkr") and dates in the forms people type them (2022-01-01, 220101, 1/1-2022).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_SPACES = re.compile(r"\s+")


def _text(value: object) -> str:
    """A cell as text, spaces (also no-break and thin ones) collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _key(text: object) -> str:
    """Text reduced to lower-case letters and digits, to compare labels typed in any way."""
    return "".join(char for char in _text(text).casefold() if char.isalnum())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_EXCEL_ERRORS = {"#null!", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#n/a", "#spill!"}
_DOT_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_COMMA_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3}){2,}(\.\d+)?")
_PLAIN_NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _number_from_text(text: str) -> Decimal | None:
    """ "1 200 000", "1 200 000 kr", "37 500,50", "1.200.000", "1 200 tkr", "-" -> a number."""
    cleaned = text.casefold().replace("\u2212", "-").replace("\u2013", "-")
    cleaned = "".join(cleaned.split())
    factor = 1000 if "tkr" in cleaned else 1
    for unit in ("tkr", "kronor", "kr", "sek", ":-"):
        cleaned = cleaned.replace(unit, "")
    cleaned = cleaned.rstrip(".")
    if cleaned in ("-", ""):
        return Decimal(0) if cleaned == "-" else None
    if _DOT_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _COMMA_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _PLAIN_NUMBER.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")  # the Swedish decimal comma
    else:
        return None
    try:
        return Decimal(cleaned) * factor
    except InvalidOperation:
        return None


def _whole(number: Decimal) -> int:
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[-./]?(\d{4}|\d{2})")
_COMPACT_DATE = re.compile(r"(\d{2}|\d{4})(\d{2})(\d{2})")


def _date_from_parts(year: int, month: int, day: int) -> dt.date | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_from_text(text: str) -> dt.date | None:
    """2022-01-01, 220101 (the template's ååmmdd), 20220101, 1/1-2022, 31.12.2023 -> a date."""
    squeezed = text.replace(" ", "")
    if match := _ISO_DATE.match(squeezed):
        return _date_from_parts(*(int(part) for part in match.groups()))
    if match := _DAY_MONTH_YEAR.fullmatch(squeezed):
        day, month, year = (int(part) for part in match.groups())
        return _date_from_parts(year, month, day)
    if match := _COMPACT_DATE.fullmatch(squeezed):
        return _date_from_parts(*(int(part) for part in match.groups()))
    return None
