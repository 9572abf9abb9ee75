"""Server-side sessions kept in the database, so any worker or instance can serve any request."""

from __future__ import annotations

import datetime as dt
from typing import Self

from litestar.stores.base import Store

from portfolio.tables import HttpSession


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _expiry(expires_in: int | dt.timedelta | None) -> dt.datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, dt.timedelta) else expires_in
    return _now() + dt.timedelta(seconds=seconds)


class DatabaseStore(Store):
    """Litestar's Store interface over the `http_session` table."""

    async def set(
        self, key: str, value: str | bytes, expires_in: int | dt.timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        await HttpSession.insert(
            HttpSession(key=key, data=data, expires_at=_expiry(expires_in))
        ).on_conflict(
            target=HttpSession.key,
            action="DO UPDATE",
            values=[HttpSession.data, HttpSession.expires_at],
        )

    async def get(self, key: str, renew_for: int | dt.timedelta | None = None) -> bytes | None:
        row = (
            await HttpSession.select(HttpSession.data, HttpSession.expires_at)
            .where(HttpSession.key == key)
            .first()
        )
        if row is None:
            return None
        expires_at = row["expires_at"]
        if expires_at is not None and _as_utc(expires_at) <= _now():
            await self.delete(key)
            return None
        if renew_for is not None and expires_at is not None:
            await HttpSession.update({HttpSession.expires_at: _expiry(renew_for)}).where(
                HttpSession.key == key
            )
        return bytes(row["data"])

    async def delete(self, key: str) -> None:
        await HttpSession.delete().where(HttpSession.key == key)

    async def delete_all(self) -> None:
        await HttpSession.delete(force=True)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        row = await HttpSession.select(HttpSession.expires_at).where(HttpSession.key == key).first()
        if row is None or row["expires_at"] is None:
            return None
        return int((_as_utc(row["expires_at"]) - _now()).total_seconds())

    def with_namespace(self, namespace: str) -> Self:
        return self

    async def delete_expired(self) -> int:
        """Remove sessions past their end; run by `finsam serve` at start-up."""
        rows = (
            await HttpSession.delete()
            .where(HttpSession.expires_at < _now())
            .returning(HttpSession.id)
        )
        return len(rows)


def _as_utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; Piccolo stores them in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
