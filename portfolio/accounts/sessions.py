"""Server-side sessions kept in the database, so any worker or instance can serve any request."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Self

import msgspec
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from portfolio.core.tables import HttpSession

# Keys in the ASGI scope's state, so the handler and the session backend can talk.
_ROTATE = "finsam_rotate_session"
_LOADED = "finsam_loaded_session"
_LOADED_DATA = "finsam_loaded_session_data"
_LOADED_EXPIRY = "finsam_loaded_session_expiry"
_LOADED_ACCOUNT = "finsam_loaded_session_account"

# What a request needs to know of the signed-in person, read with the session (see
# `loaded_account`); the names are those of `accounts.queries.principal_row`.
_ACCOUNT_COLUMNS = ("id", "email", "name", "role", "organisation", "active", "sessions_since")

# An unchanged session is written back (its end moved on) at most this often. Writing it on
# every request was two database writes per page, the largest cost of a request on SQLite;
# the price is that a session may end up to this much before `max_age` of inactivity.
RENEW_EVERY = dt.timedelta(minutes=1)


def _state(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    return connection.scope.setdefault("state", {})  # type: ignore[typeddict-item, arg-type]


def signed_in_session(user_id: int) -> dict[str, Any]:
    """A signed-in session's data: who, and since when (to end it if the account is reset)."""
    return {"user_id": user_id, "signed_in_at": _now().timestamp()}


def ended_by_reset(session: dict[str, Any], sessions_since: dt.datetime | None) -> bool:
    """Whether the account was reset (new password, second factor) after this session began."""
    if sessions_since is None:
        return False
    began = session.get("signed_in_at")
    return not isinstance(began, int | float) or began < _as_utc(sessions_since).timestamp()


def loaded_account(
    connection: ASGIConnection[Any, Any, Any, Any], user_id: int
) -> dict[str, Any] | None:
    """The signed-in account as read together with this request's session, if it was."""
    row: dict[str, Any] | None = _state(connection).get(_LOADED_ACCOUNT)
    return row if row is not None and row["id"] == user_id else None


def _account_of(data: bytes) -> int | None:
    try:
        user_id = msgspec.json.decode(data).get("user_id")
    except (msgspec.DecodeError, AttributeError):
        return None
    return user_id if isinstance(user_id, int) else None


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Give this session a new id when the response is sent (call it at log-in)."""
    _state(connection)[_ROTATE] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, but an id is only ever one the server made and kept.

    Litestar keeps whatever id the browser's cookie carries, so a cookie planted before log-in
    would be the logged-in session (session fixation). Here an id the store does not know is
    replaced, log-in always moves the session to a new id and deletes the old one, and an
    emptied session (log-out) is deleted from the store.
    """

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        session_id = connection.cookies.get(self.config.key)
        if session_id:
            store = self.config.get_store_from_app(connection.scope["app"])
            if isinstance(store, DatabaseStore):
                found = await store.read(session_id)
                data, expires_at, account = found if found else (None, None, None)
                _state(connection)[_LOADED_ACCOUNT] = account
            else:
                data, expires_at = await self.get(session_id, store=store), None
            if data is not None:
                state = _state(connection)
                state[_LOADED] = session_id
                state[_LOADED_DATA] = data
                state[_LOADED_EXPIRY] = expires_at
                return self.deserialize_data(data)
        return {}

    def _still_fresh(self, state: dict[str, Any], data: bytes) -> bool:
        """True when the kept session is what we would write and was renewed a moment ago."""
        expires_at: dt.datetime | None = state.get(_LOADED_EXPIRY)
        if state.get(_LOADED_DATA) != data or expires_at is None or self.config.max_age is None:
            return False
        renewed_at = expires_at - dt.timedelta(seconds=self.config.max_age)
        return _now() - renewed_at < RENEW_EVERY

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        return _state(connection).get(_LOADED) or self.generate_session_id()

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        store = self.config.get_store_from_app(connection.scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        state = _state(connection)
        loaded: str | None = state.get(_LOADED)
        cookie_params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        if scope_session is Empty:
            if loaded:
                await self.delete(loaded, store=store)
            if not connection.cookies.get(self.config.key):
                return  # nothing to end in the browser either
            cookie = Cookie(value="null", key=self.config.key, expires=0, **cookie_params)
            headers.add("Set-Cookie", cookie.to_header(header=""))
            return
        if loaded is None and not scope_session:
            # A visitor with nothing to keep (the log-in page, a refused request) gets no
            # session: otherwise every anonymous request would write a row for 8 hours.
            return
        data = self.serialize_data(scope_session, connection.scope)
        if loaded is None or state.get(_ROTATE):
            if loaded is not None:
                await self.delete(loaded, store=store)
            session_id = self.generate_session_id()
            await self.set(session_id, data, store)
        else:
            session_id = loaded
            if not self._still_fresh(state, data):
                await self.set(session_id, data, store)
        headers.add(
            "Set-Cookie",
            Cookie(value=session_id, key=self.config.key, **cookie_params).to_header(header=""),
        )


@dataclass
class SessionConfig(ServerSideSessionConfig):
    """Server-side sessions with ids rotated at log-in (see RotatingSessionBackend)."""

    _backend_class = RotatingSessionBackend  # type: ignore[assignment]


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
            HttpSession(
                key=key, data=data, expires_at=_expiry(expires_in), account=_account_of(data)
            )
        ).on_conflict(
            target=HttpSession.key,
            action="DO UPDATE",
            values=[HttpSession.data, HttpSession.expires_at, HttpSession.account],
        )

    async def read(
        self, key: str
    ) -> tuple[bytes, dt.datetime | None, dict[str, Any] | None] | None:
        """The session's data, when it ends and its signed-in account (one query, not renewed);
        None if gone or ended."""
        row = await HttpSession.select(*_session_columns()).where(HttpSession.key == key).first()
        if row is None:
            return None
        expires_at = row["expires_at"] and _as_utc(row["expires_at"])
        if expires_at is not None and expires_at <= _now():
            await self.delete(key)
            return None
        signed_in = (
            {name: row[f"account_{name}"] for name in _ACCOUNT_COLUMNS}
            if row["account_id"] is not None
            else None
        )
        return bytes(row["data"]), expires_at, signed_in

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


@functools.cache
def _session_columns() -> tuple[Any, ...]:
    """The session's columns and its account's, joined: built once, as Piccolo makes each joined
    column anew on every attribute access (1.5 ms a request when built per query)."""
    account = HttpSession.account
    joined = (getattr(account, name).as_alias(f"account_{name}") for name in _ACCOUNT_COLUMNS)
    return (HttpSession.data, HttpSession.expires_at, *joined)


def _as_utc(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; Piccolo stores them in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
