"""One-time links to choose a password: invitations to a new account and forgotten passwords.

A link's token is 32 random bytes; only its SHA-256 is stored, so a copy of the database opens
no account. A link is used once, expires, and a newer link of the same purpose withdraws the
older one. Mail is not sent from here (accounts sit below mail): the callers queue it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from enum import StrEnum
from typing import Any

from portfolio.accounts.passwords import hash_password, password_problem
from portfolio.core import audit
from portfolio.core.db import lock_for_update, write_transaction
from portfolio.core.domain import FieldProblem
from portfolio.core.errors import NotFound, ValidationFailed
from portfolio.core.tables import AccountLink, User


class Purpose(StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


LIFETIME = {
    Purpose.INVITATION: dt.timedelta(days=7),
    Purpose.RESET: dt.timedelta(hours=2),
}
DEAD_LINK = (
    "Länken fungerar inte längre: den är redan använd, har gått ut eller har dragits tillbaka. "
    "Be kansliet om en ny inbjudan, eller begär en ny länk under Glömt lösenord."
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unusable_password_hash() -> str:
    """A password hash no password matches: an invited account cannot log in before its link."""
    return "!" + secrets.token_hex(32)


async def issue(user_id: int, purpose: Purpose, now: dt.datetime | None = None) -> str:
    """A new link for the user (in the caller's transaction); earlier live links of the same
    purpose are withdrawn. Returns the token, which is never stored."""
    now = now or _now()
    await AccountLink.update({AccountLink.withdrawn_at: now}).where(
        (AccountLink.user == user_id)
        & (AccountLink.purpose == purpose)
        & AccountLink.used_at.is_null()
        & AccountLink.withdrawn_at.is_null()
    )
    token = secrets.token_urlsafe(32)
    await AccountLink.insert(
        AccountLink(
            user=user_id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=now + LIFETIME[purpose],
        )
    )
    return token


async def withdraw(user_id: int, purpose: Purpose) -> int:
    """Withdraw the user's live links of the purpose; returns how many there were."""
    rows = await (
        AccountLink.update({AccountLink.withdrawn_at: _now()})
        .where(
            (AccountLink.user == user_id)
            & (AccountLink.purpose == purpose)
            & AccountLink.used_at.is_null()
            & AccountLink.withdrawn_at.is_null()
        )
        .returning(AccountLink.id)
    )
    return len(rows)


async def live_link(token: str, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The link a token opens, with its user's name and e-mail, if it is still usable."""
    now = now or _now()
    row = await (
        AccountLink.select(
            *AccountLink._meta.columns,
            AccountLink.user.email.as_alias("email"),
            AccountLink.user.name.as_alias("name"),
        )
        .where(AccountLink.token_hash == token_hash(token))
        .first()
    )
    if row is None or row["used_at"] or row["withdrawn_at"] or row["expires_at"] <= now:
        return None
    return row


async def pending_invitation(user_id: int) -> dict[str, Any] | None:
    return await (
        AccountLink.select()
        .where(
            (AccountLink.user == user_id)
            & (AccountLink.purpose == Purpose.INVITATION)
            & AccountLink.used_at.is_null()
            & AccountLink.withdrawn_at.is_null()
            & (AccountLink.expires_at > _now())
        )
        .first()
    )


async def set_password(token: str, password: str) -> dict[str, Any]:
    """Choose a password with a link: once, before it expires. Earlier sessions end."""
    if (reason := password_problem(password)) is not None:
        raise ValidationFailed([FieldProblem("password", reason)])
    async with write_transaction():
        link = await live_link(token)
        if link is None:
            raise NotFound(DEAD_LINK, field="token")
        await lock_for_update(AccountLink, link["id"])
        spent = await (
            AccountLink.update({AccountLink.used_at: _now()})
            .where((AccountLink.id == link["id"]) & AccountLink.used_at.is_null())
            .returning(AccountLink.id)
        )
        if not spent:  # used a moment ago by another request
            raise NotFound(DEAD_LINK, field="token")
        now = _now()
        await User.update(
            {
                User.password_hash: hash_password(password),
                User.sessions_since: now,
                User.version: User.version + 1,
            }
        ).where(User.id == link["user"])
        # Any other live link (an invitation and a reset both) is spent by choosing a password.
        await AccountLink.update({AccountLink.withdrawn_at: now}).where(
            (AccountLink.user == link["user"])
            & AccountLink.used_at.is_null()
            & AccountLink.withdrawn_at.is_null()
        )
        action = "accept_invitation" if link["purpose"] == Purpose.INVITATION else "reset_password"
        await audit.record(
            None,
            action,
            "user",
            link["user"],
            summary="Lösenord valt med inbjudan"
            if link["purpose"] == Purpose.INVITATION
            else "Lösenord bytt med länk från Glömt lösenord",
        )
        user = await User.select().where(User.id == link["user"]).first()
    assert user is not None
    return user
