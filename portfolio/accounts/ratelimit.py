"""Log-in rate limiting kept in the database, so that every worker and instance counts alike."""

from __future__ import annotations

import datetime as dt

from piccolo.engine.postgres import PostgresEngine

from portfolio.core.db import current_engine, write_transaction
from portfolio.core.errors import DomainError
from portfolio.core.tables import LoginFailure, RateEvent

WINDOW = dt.timedelta(minutes=15)
PER_EMAIL = 5  # failures for one account within the window
PER_ADDRESS = 20  # failures from one client address within the window


class TooManyAttempts(DomainError):
    status_code = 429


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _account(email: str) -> str:
    """The account an attempt is counted against, however the address was typed."""
    return email.strip().lower()[:200]


async def attempt(email: str, address: str) -> int:
    """Count this attempt, then refuse it if too many recent attempts failed for this account
    or address; returns the attempt's id, for `failed` when the password turns out wrong.

    For the account, attempts under way count as well as failed ones, so guesses sent in
    parallel are counted instead of all passing a check made before any of them failed. For
    the address only failures count: an office behind one address logs in together."""
    email = _account(email)
    now = _now()
    since = now - WINDOW
    async with write_transaction():
        if isinstance(current_engine(), PostgresEngine):
            # One account's attempts are counted one at a time (SQLite's writers already are).
            await LoginFailure.raw("SELECT pg_advisory_xact_lock(hashtext({}))", email)
        row = await LoginFailure.insert(
            LoginFailure(email=email, address=address[:64], at=now)
        ).returning(LoginFailure.id)
        by_email = await LoginFailure.count().where(
            (LoginFailure.email == email) & (LoginFailure.at > since)
        )
        by_address = await LoginFailure.count().where(
            (LoginFailure.address == address[:64])
            & (LoginFailure.at > since)
            & (LoginFailure.failed == True)  # noqa: E712 - a Piccolo column comparison
        )
        # Old attempts are of no use; clearing them here keeps the table small without a job.
        await LoginFailure.delete().where(LoginFailure.at < now - 2 * WINDOW)
    if by_email > PER_EMAIL or by_address >= PER_ADDRESS:
        # A refused attempt checked nothing: it must not keep the lock going by itself, or
        # someone retrying the right password while locked out would stay locked out.
        await LoginFailure.delete().where(LoginFailure.id == row[0]["id"])
        minutes = int(WINDOW.total_seconds() // 60)
        raise TooManyAttempts(
            f"För många misslyckade inloggningsförsök. Vänta {minutes} minuter och försök igen.",
            field="email",
        )

    return int(row[0]["id"])


async def failed(attempt_id: int) -> None:
    """The attempt's password (or code) was wrong: it now counts for its address too."""
    await LoginFailure.update({LoginFailure.failed: True}).where(LoginFailure.id == attempt_id)


async def succeeded(email: str) -> None:
    """The account's attempts no longer count (this one included)."""
    await LoginFailure.delete().where(LoginFailure.email == _account(email))


async def count_request(key: str, limit: int, window: dt.timedelta, message: str) -> None:
    """Count one request of a rate-limited kind (in the database, so every worker agrees) and
    refuse it with 429 once more than `limit` came within `window`. A refused request is not
    counted, so waiting out the window always helps."""
    key = key[:250]
    now = _now()
    async with write_transaction():
        if isinstance(current_engine(), PostgresEngine):
            await RateEvent.raw("SELECT pg_advisory_xact_lock(hashtext({}))", key)
        recent = await RateEvent.count().where(
            (RateEvent.key == key) & (RateEvent.at > now - window)
        )
        if recent >= limit:
            raise TooManyAttempts(message)
        await RateEvent.insert(RateEvent(key=key, at=now))
        await RateEvent.delete().where((RateEvent.key == key) & (RateEvent.at < now - window))
