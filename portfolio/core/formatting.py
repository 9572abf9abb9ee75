"""Swedish number, money and date formats, shared by the web pages and the documents.

Money is integer kronor everywhere; rounding to tkr happens only here, for display.
Babel gives the CLDR Swedish conventions: a no-break space (U+00A0) groups thousands so
that an amount never breaks across lines, and month names are lower case.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
# Timestamps are stored in UTC; people read them in Swedish time.
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def round_tkr(kronor: int) -> int:
    """Kronor to whole tkr, half away from zero (1 500 kr -> 2 tkr, -1 500 kr -> -2 tkr)."""
    sign = -1 if kronor < 0 else 1
    return sign * ((abs(kronor) + 500) // 1000)


def format_number(value: int) -> str:
    """An integer with Swedish digit grouping: 1 965 000."""
    return format_decimal(value, format="#,##0", locale=LOCALE)


def format_tkr(kronor: int) -> str:
    """An amount for a table column in tkr: 1 965 000 kr -> "1 965"."""
    return format_number(round_tkr(kronor))


def format_kronor(kronor: int) -> str:
    """An amount in prose: "1 965 000 kronor"."""
    return f"{format_number(kronor)} kronor"


def format_kr(kronor: int) -> str:
    """An amount in a line or a log entry: "334 200 kr"."""
    return f"{format_number(kronor)}\u00a0kr"


def format_count(count: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: "1 insats", "2 insatser", "0 insatser"."""
    return f"{format_number(count)} {singular if count == 1 else plural}"


def format_clock(text: str | None) -> str:
    """A time of day as Swedish writes it, with a point: "13:00" and "13.00" -> "13.00";
    anything else is shown as it was typed."""
    if not text:
        return ""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})(?::\d{2})?\s*", text)
    return f"{int(match.group(1)):02d}.{match.group(2)}" if match else text


def format_date_long(day: dt.date) -> str:
    """A date in prose: "1 januari 2022"."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def format_date_iso(day: dt.date | None) -> str:
    """A date in a header or table: 2022-01-01 (empty for no date)."""
    return day.isoformat() if day else ""


def format_percent(basis_points: int) -> str:
    """A share kept in hundredths of a percent (basis points): 2550 -> "25,50 %"."""
    whole, frac = divmod(abs(basis_points), 100)
    sign = "-" if basis_points < 0 else ""
    return f"{sign}{whole},{frac:02d}\u00a0%"


def format_timestamp(moment: dt.datetime) -> str:
    """A stored timestamp in Swedish time: 2026-11-23 21:01 (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")
