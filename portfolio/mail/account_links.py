"""Invitations and forgotten passwords: the account's one-time link made (accounts/links.py)
and its mail queued in the same transaction, so a link is never made without its mail nor a
mail queued for a link that rolled back. Both are rate-limited in the database."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from portfolio.accounts import links, ratelimit, services
from portfolio.accounts.permissions import can_manage, require
from portfolio.accounts.queries import user_by_email, user_row
from portfolio.accounts.schemas import InvitationIn
from portfolio.core import audit
from portfolio.core.db import write_transaction
from portfolio.core.domain import ROLE_LABELS, Principal, Role
from portfolio.core.errors import Conflict, NotFound
from portfolio.core.formatting import format_date_long
from portfolio.core.tables import User
from portfolio.mail.domain import MailKind
from portfolio.mail.recipients import Recipient, link, queue_to

SWEDEN = ZoneInfo("Europe/Stockholm")
HOUR = dt.timedelta(hours=1)
INVITATIONS_PER_HOUR = 50  # per office user: a whole board at once, not a spam run
RESETS_PER_ADDRESS_PER_HOUR = 3  # per e-mail address typed, whether it has an account or not
RESETS_PER_CLIENT_PER_HOUR = 10  # per client address
TOO_MANY_RESETS = "För många begäranden om nytt lösenord. Vänta en timme och försök igen."
FORGOT_ANSWER = (
    "Om adressen hör till ett konto i Finsam Portfolio har vi skickat en länk dit. "
    "Länken gäller i två timmar och kan användas en gång."
)


def password_link(token: str) -> str:
    return link(f"/losenord/{token}")


async def _queue_invitation(actor: Principal, user: dict[str, Any]) -> dt.datetime:
    await ratelimit.count_request(
        f"invite:{actor.user_id}",
        INVITATIONS_PER_HOUR,
        HOUR,
        "För många inbjudningar på kort tid. Vänta en stund och försök igen.",
    )
    token = await links.issue(user["id"], links.Purpose.INVITATION)
    expires = dt.datetime.now(dt.UTC) + links.LIFETIME[links.Purpose.INVITATION]
    await queue_to(
        actor,
        MailKind.INVITATION,
        [Recipient(user["email"], user["name"], user["id"], user["organisation"])],
        {
            "invited_by": actor.name,
            "role": ROLE_LABELS[Role(user["role"])].lower(),
            "valid_until": format_date_long(expires.astimezone(SWEDEN).date()),
            "link": password_link(token),
        },
        entity="user",
        entity_id=user["id"],
    )
    return expires


async def invite(actor: Principal, data: InvitationIn) -> tuple[dict[str, Any], dt.datetime]:
    """A new account for the person and the invitation to choose a password, by e-mail."""
    require(can_manage(actor))
    async with write_transaction():
        user = await services.create_invited_user(actor, data)
        expires = await _queue_invitation(actor, user)
    return user, expires


async def _invited(user_id: int) -> dict[str, Any]:
    user = await user_row(user_id)
    if user is None:
        raise NotFound("Användaren finns inte.")
    if not services.awaits_invitation(user):
        raise Conflict(
            "Personen har redan valt ett lösenord; inbjudan behövs inte längre.", field="user"
        )
    return user


async def resend_invitation(actor: Principal, user_id: int) -> tuple[dict[str, Any], dt.datetime]:
    """A new link (the old one stops working) to someone who has not yet chosen a password."""
    require(can_manage(actor))
    async with write_transaction():
        user = await _invited(user_id)
        if not user["active"]:
            await User.update({User.active: True, User.version: User.version + 1}).where(
                User.id == user_id
            )
        expires = await _queue_invitation(actor, user)
        await audit.record(
            actor, "resend_invitation", "user", user_id, summary=f"Ny inbjudan till {user['email']}"
        )
    return user, expires


async def withdraw_invitation(actor: Principal, user_id: int) -> None:
    """The link stops working and the account, never used, is turned off."""
    require(can_manage(actor))
    async with write_transaction():
        user = await _invited(user_id)
        await links.withdraw(user_id, links.Purpose.INVITATION)
        await User.update({User.active: False, User.version: User.version + 1}).where(
            User.id == user_id
        )
        await audit.record(
            actor,
            "withdraw_invitation",
            "user",
            user_id,
            summary=f"Inbjudan till {user['email']} tillbakadragen",
        )


async def forgot_password(email: str, client: str) -> str:
    """Send a reset link if the address has an active account; the answer is the same either
    way, and so is the rate limit, which counts the address typed and the client."""
    address = email.strip().lower()[:200]
    await ratelimit.count_request(
        f"reset-client:{client}", RESETS_PER_CLIENT_PER_HOUR, HOUR, TOO_MANY_RESETS
    )
    await ratelimit.count_request(
        f"reset-email:{address}", RESETS_PER_ADDRESS_PER_HOUR, HOUR, TOO_MANY_RESETS
    )
    user = await user_by_email(address) if address else None
    if user is None or not user["active"]:
        return FORGOT_ANSWER
    async with write_transaction():
        token = await links.issue(user["id"], links.Purpose.RESET)
        expires = dt.datetime.now(dt.UTC) + links.LIFETIME[links.Purpose.RESET]
        local = expires.astimezone(SWEDEN)
        await queue_to(
            None,
            MailKind.PASSWORD_RESET,
            [Recipient(user["email"], user["name"], user["id"], user["organisation"])],
            {
                "valid_until": f"kl. {local:%H.%M} den {format_date_long(local.date())}",
                "link": password_link(token),
            },
            entity="user",
            entity_id=user["id"],
        )
        await audit.record(
            None, "request_reset", "user", user["id"], summary="Länk för nytt lösenord skickad"
        )
    return FORGOT_ANSWER
