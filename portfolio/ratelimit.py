"""Log-in rate limiting kept in the database, so that every worker and instance counts alike."""

from __future__ import annotations

import datetime as dt

from portfolio.errors import DomainError
from portfolio.tables import LoginFailure

WINDOW = dt.timedelta(minutes=15)
PER_EMAIL = 5  # failures for one account within the window
PER_ADDRESS = 20  # failures from one client address within the window


class TooManyAttempts(DomainError):
    status_code = 429


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def check(email: str, address: str) -> None:
    """Refuse a log-in while too many recent attempts failed for this account or this address."""
    since = _now() - WINDOW
    email = email.strip().lower()
    by_email = await LoginFailure.count().where(
        (LoginFailure.email == email) & (LoginFailure.at > since)
    )
    by_address = await LoginFailure.count().where(
        (LoginFailure.address == address) & (LoginFailure.at > since)
    )
    if by_email >= PER_EMAIL or by_address >= PER_ADDRESS:
        minutes = int(WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            f"För många misslyckade inloggningsförsök. Vänta {minutes} minuter och försök igen.",
            field="email",
        )


async def failed(email: str, address: str) -> None:
    await LoginFailure.insert(LoginFailure(email=email.strip().lower()[:200], address=address[:64]))
    # Old failures are of no use; clearing them here keeps the table small without a job.
    await LoginFailure.delete().where(LoginFailure.at < _now() - 2 * WINDOW)


async def succeeded(email: str) -> None:
    await LoginFailure.delete().where(LoginFailure.email == email.strip().lower())
