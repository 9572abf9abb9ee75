"""Log-in rate limiting kept in the database, so that every worker and instance counts alike."""

from __future__ import annotations

import datetime as dt

from piccolo.engine.postgres import PostgresEngine

from portfolio.db import current_engine, write_transaction
from portfolio.errors import DomainError
from portfolio.tables import LoginFailure

WINDOW = dt.timedelta(minutes=15)
PER_EMAIL = 5  # failures for one account within the window
PER_ADDRESS = 20  # failures from one client address within the window


class TooManyAttempts(DomainError):
    status_code = 429


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def attempt(email: str, address: str) -> None:
    """Count this attempt, then refuse it if too many recent attempts failed for this account
    or address. Counting before the password is checked (and uncounting on success) means
    guesses sent in parallel are counted too, instead of all passing a check made before any
    of them failed."""
    email = email.strip().lower()[:200]
    now = _now()
    since = now - WINDOW
    async with write_transaction():
        if isinstance(current_engine(), PostgresEngine):
            # One account's attempts are counted one at a time (SQLite's writers already are).
            await LoginFailure.raw("SELECT pg_advisory_xact_lock(hashtext({}))", email)
        await LoginFailure.insert(LoginFailure(email=email, address=address[:64], at=now))
        by_email = await LoginFailure.count().where(
            (LoginFailure.email == email) & (LoginFailure.at > since)
        )
        by_address = await LoginFailure.count().where(
            (LoginFailure.address == address[:64]) & (LoginFailure.at > since)
        )
        # Old attempts are of no use; clearing them here keeps the table small without a job.
        await LoginFailure.delete().where(LoginFailure.at < now - 2 * WINDOW)
    if by_email > PER_EMAIL or by_address > PER_ADDRESS:
        minutes = int(WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            f"För många misslyckade inloggningsförsök. Vänta {minutes} minuter och försök igen.",
            field="email",
        )


async def succeeded(email: str) -> None:
    """The account's attempts no longer count (this one included)."""
    await LoginFailure.delete().where(LoginFailure.email == email.strip().lower()[:200])
